// The chart library the overview page loads with its own script tag (src/admin/web/pages.ts).
declare const uPlot: typeof import('uplot').default;
