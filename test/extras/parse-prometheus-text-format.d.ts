declare module 'parse-prometheus-text-format' {
  /** Parses Prometheus text exposition into metric families (values as strings). */
  export default function parsePrometheusTextFormat(text: string): unknown[];
}
