// The app's mark, a lifebuoy drawn in SVG so it follows the theme's colours (no image file, no emoji font).

export function LifebuoyMark() {
  return (
    <svg className="app-header__mark" viewBox="0 0 28 28" aria-hidden="true" focusable="false">
      <circle className="app-header__mark-ring" cx="14" cy="14" r="9.5" />
      <circle className="app-header__mark-band" cx="14" cy="14" r="9.5" />
    </svg>
  );
}
