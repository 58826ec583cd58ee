// Labelled form controls: the label is tied to its input, hints and errors are announced with it.
import { useId } from 'react';
import type { InputHTMLAttributes, ReactNode, Ref, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';
import './Field.css';

interface FieldFrameProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  optional?: boolean;
  children: ReactNode;
}

function FieldFrame({ id, label, hint, error, optional, children }: FieldFrameProps) {
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label className="field__label" htmlFor={id}>
        {label}
        {/* Kept out of the accessible name so tests and screen readers find "Owner", not "Owner (optional)". */}
        {optional && (
          <span className="field__optional" aria-hidden="true">
            {' '}
            (optional)
          </span>
        )}
      </label>
      {optional && (
        <span id={`${id}-optional`} className="visually-hidden">
          Optional.
        </span>
      )}
      {children}
      {hint && (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field__error" id={`${id}-error`}>
          <span aria-hidden="true">✕ </span>
          {error}
        </p>
      )}
    </div>
  );
}

function describedBy(id: string, hint: unknown, error: unknown, optional?: boolean): string | undefined {
  const ids = [optional ? `${id}-optional` : '', hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  optional?: boolean;
  /** Reaches the input itself (React 19 passes ref as a prop). */
  ref?: Ref<HTMLInputElement>;
}

export function TextField({ label, hint, error, optional, className, ...input }: TextFieldProps) {
  const id = useId();
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} optional={optional}>
      <input
        id={id}
        className={`field__control${className ? ` ${className}` : ''}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error, optional)}
        {...input}
      />
    </FieldFrame>
  );
}

export interface TextAreaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  optional?: boolean;
}

export function TextAreaField({ label, hint, error, optional, className, ...textarea }: TextAreaFieldProps) {
  const id = useId();
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} optional={optional}>
      <textarea
        id={id}
        className={`field__control${className ? ` ${className}` : ''}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error, optional)}
        {...textarea}
      />
    </FieldFrame>
  );
}

export interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  options: readonly { value: string; label: string }[];
}

export function SelectField({ label, hint, error, options, className, ...select }: SelectFieldProps) {
  const id = useId();
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <select
        id={id}
        className={`field__control${className ? ` ${className}` : ''}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...select}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export interface ChoiceGroupProps<V extends string> {
  legend: ReactNode;
  name: string;
  value: V;
  options: readonly { value: V; label: ReactNode; description?: ReactNode }[];
  onChange(value: V): void;
  error?: string;
}

/** A radio group in a fieldset: arrow keys move between choices, the legend names the group. */
export function ChoiceGroup<V extends string>({ legend, name, value, options, onChange, error }: ChoiceGroupProps<V>) {
  const id = useId();
  return (
    <fieldset className={`choice-group${error ? ' field--invalid' : ''}`} aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="field__label">{legend}</legend>
      <div className="choice-group__options">
        {options.map((o) => {
          const inputId = `${id}-${o.value}`;
          return (
            <div key={o.value} className={`choice${o.value === value ? ' choice--checked' : ''}`}>
              <input
                id={inputId}
                type="radio"
                name={name}
                value={o.value}
                checked={o.value === value}
                onChange={() => onChange(o.value)}
                aria-describedby={o.description ? `${inputId}-description` : undefined}
              />
              <span className="choice__text">
                {/* The label is the choice's whole name; the description stays out of it so "Password" finds
                    the password box, not a radio whose description mentions passwords. */}
                <label className="choice__label" htmlFor={inputId}>
                  {o.label}
                </label>
                {o.description && (
                  <span className="choice__description" id={`${inputId}-description`}>
                    {o.description}
                  </span>
                )}
              </span>
            </div>
          );
        })}
      </div>
      {error && (
        <p className="field__error" id={`${id}-error`}>
          <span aria-hidden="true">✕ </span>
          {error}
        </p>
      )}
    </fieldset>
  );
}

export interface CheckboxFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'type'> {
  /** The checkbox's whole accessible name; the hint stays out of it and describes it. */
  label: ReactNode;
  hint?: ReactNode;
  /** Announce the hint when it changes (it explains what the current choice means). */
  liveHint?: boolean;
  ref?: Ref<HTMLInputElement>;
}

/** A checkbox with its label beside it and an optional hint below the label. */
export function CheckboxField({ label, hint, liveHint, className, ...input }: CheckboxFieldProps) {
  const id = useId();
  return (
    <div className={`checkbox-field${className ? ` ${className}` : ''}`}>
      <input id={id} type="checkbox" aria-describedby={hint ? `${id}-hint` : undefined} {...input} />
      <span className="checkbox-field__text">
        <label className="checkbox-field__label" htmlFor={id}>
          {label}
        </label>
        {hint && (
          <span className="field__hint" id={`${id}-hint`} aria-live={liveHint ? 'polite' : undefined}>
            {hint}
          </span>
        )}
      </span>
    </div>
  );
}
