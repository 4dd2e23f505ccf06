import {
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { useEffect, useRef } from 'react';
import type { TrafficPoint, TrafficRange } from '../api/types';
import { formatBytes } from '../lib/format';
import { useTheme } from '../lib/theme';

Chart.register(
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  CategoryScale,
  Filler,
  Legend,
  Tooltip,
);

/** How each range labels its buckets: in UTC, where the master's buckets start. */
const LABELS: Readonly<Record<TrafficRange, Intl.DateTimeFormatOptions>> = {
  hour: { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' },
  day: { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' },
  month: { month: 'short', day: 'numeric', timeZone: 'UTC' },
};

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/** Upload and download per bucket, as two filled lines. */
export function TrafficChart({
  points,
  range,
}: {
  readonly points: readonly TrafficPoint[];
  readonly range: TrafficRange;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'line'> | null>(null);
  const theme = useTheme();

  useEffect(() => {
    if (canvas.current === null) return;
    const text = css('--muted');
    const grid = css('--line');
    chart.current = new Chart(canvas.current, {
      type: 'line',
      data: { labels: [], datasets: [] },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { ticks: { color: text, maxRotation: 0, autoSkipPadding: 16 }, grid: { display: false } },
          y: {
            beginAtZero: true,
            suggestedMax: 1024,
            ticks: { color: text, maxTicksLimit: 6, callback: (value) => formatBytes(Number(value)) },
            grid: { color: grid },
          },
        },
        plugins: {
          legend: { labels: { color: text, boxWidth: 12 } },
          tooltip: {
            callbacks: { label: (item) => `${item.dataset.label ?? ''}: ${formatBytes(Number(item.raw))}` },
          },
        },
      },
    });
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [theme]);

  useEffect(() => {
    const current = chart.current;
    if (current === null) return;
    const format = new Intl.DateTimeFormat(undefined, LABELS[range]);
    const series = (label: string, values: number[], color: string) => ({
      label,
      data: values,
      borderColor: color,
      backgroundColor: `${color}33`,
      fill: true,
      cubicInterpolationMode: 'monotone' as const,
      pointRadius: 0,
      borderWidth: 2,
    });
    current.data.labels = points.map((p) => format.format(new Date(p.at)));
    current.data.datasets = [
      series(
        'Upload',
        points.map((p) => Number(p.up)),
        css('--chart-up'),
      ),
      series(
        'Download',
        points.map((p) => Number(p.down)),
        css('--chart-down'),
      ),
    ];
    current.update();
  }, [points, range, theme]);

  const up = points.reduce((sum, p) => sum + Number(p.up), 0);
  const down = points.reduce((sum, p) => sum + Number(p.down), 0);
  return (
    <div className="chart">
      <canvas ref={canvas} role="img" aria-label="Traffic chart">
        Upload {formatBytes(up)}, download {formatBytes(down)} in this range.
      </canvas>
    </div>
  );
}
