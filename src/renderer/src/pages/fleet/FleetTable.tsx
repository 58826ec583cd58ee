// The fleet as a table: one row per service, sorted by id so rows do not jump when a test finishes.
import { useMemo } from 'react';
import type { ServiceView } from '../../../../shared/domain';
import type { ConnectionTestState } from '../../components/ConnectionTestResult';
import { ServiceRow } from './ServiceRow';

export interface FleetTableProps {
  services: ServiceView[];
  testOf(id: string): ConnectionTestState;
  onTest(id: string): void;
  onEdit(view: ServiceView): void;
  onRemove(view: ServiceView): void;
  onDismissTest(id: string): void;
  onBackUp(id: string): void;
}

export function FleetTable({ services, testOf, onTest, onEdit, onRemove, onDismissTest, onBackUp }: FleetTableProps) {
  const sorted = useMemo(() => [...services].sort((a, b) => a.service.id.localeCompare(b.service.id)), [services]);
  return (
    <div className="table-scroll">
      <table className="data-table fleet" aria-label="Services" data-testid="fleet-table">
        <thead>
          <tr>
            <th scope="col">Service</th>
            <th scope="col">Engine</th>
            <th scope="col">Version</th>
            <th scope="col">Owner</th>
            <th scope="col">Tags</th>
            <th scope="col">Status</th>
            <th scope="col">Replication</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((view) => {
            const id = view.service.id;
            return (
              <ServiceRow
                key={id}
                view={view}
                test={testOf(id)}
                onTest={() => onTest(id)}
                onEdit={() => onEdit(view)}
                onRemove={() => onRemove(view)}
                onDismissTest={() => onDismissTest(id)}
                onBackUp={() => onBackUp(id)}
              />
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
