// A thin React wrapper around ECharts (the parts the dashboards use only, so the chunk stays
// small): one chart per element, options replaced on change, resized with its box, disposed
// on unmount. Canvas rendering: nothing inline that the page's CSP would refuse.
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

export function Chart({
  option,
  height = 280,
  testId,
}: {
  option: ChartOption;
  height?: number;
  testId?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const c = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
      shown.current = '';
    };
  }, []);
  // After every render: set the option when it changed (compared as JSON, so a new object with
  // the same content does not redraw).
  const shown = useRef('');
  useEffect(() => {
    const json = JSON.stringify(option);
    if (!chart.current || json === shown.current) return;
    shown.current = json;
    chart.current.setOption(option, { notMerge: true });
  });
  return <div ref={box} style={{ width: '100%', height }} data-testid={testId} data-chart="echarts" />;
}
