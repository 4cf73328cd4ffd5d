/**
 * 应享尽享 per child area: a horizontal bar per area with its coverage rate for one indicator (red
 * below 100 %, green at 100 %, grey when nobody there should receive it); clicking a bar opens that
 * area. ECharts, only the bar chart, grid and tooltip bundled.
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

export interface CoverageChartBar {
  code: string;
  label: string;
  should: number;
  receives: number;
}

export function CoverageChart({ bars, tooltip, noneLabel, onPick }: { bars: CoverageChartBar[]; tooltip: (b: CoverageChartBar) => string; noneLabel: string; onPick: (code: string) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const latest = useRef({ bars, onPick, tooltip });
  useEffect(() => {
    latest.current = { bars, onPick, tooltip };
  }, [bars, onPick, tooltip]);

  useEffect(() => {
    if (!ref.current) return;
    const c = echarts.init(ref.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    c.on('click', (p) => {
      const rows = [...latest.current.bars].reverse();
      const bar = rows[p.dataIndex];
      if (bar) latest.current.onPick(bar.code);
    });
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(ref.current);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    // Top to bottom in the given order.
    const rows = [...bars].reverse();
    chart.current?.setOption(
      {
        animation: false,
        tooltip: {
          trigger: 'axis',
          axisPointer: { type: 'shadow' },
          formatter: (ps: { dataIndex: number }[]) => {
            const b = rows[ps[0]?.dataIndex ?? -1];
            return b ? latest.current.tooltip(b) : '';
          },
        },
        grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
        yAxis: { type: 'category', data: rows.map((b) => b.label), axisLabel: { width: 110, overflow: 'truncate' } },
        series: [
          {
            type: 'bar',
            cursor: 'pointer',
            barMaxWidth: 22,
            data: rows.map((b) => ({
              value: b.should === 0 ? 0 : Math.round((b.receives / b.should) * 1000) / 10,
              itemStyle: { color: b.should === 0 ? '#d9d9d9' : b.receives < b.should ? '#cf1322' : '#389e0d' },
              label: { show: true, position: 'right', formatter: b.should === 0 ? noneLabel : (p: { value: unknown }) => `${Number(p.value).toFixed(1)}%` },
            })),
          },
        ],
      },
      true,
    );
  }, [bars, noneLabel]);

  return <div ref={ref} data-testid="coverage-chart" style={{ width: '100%', height: Math.max(160, bars.length * 28 + 40) }} />;
}
