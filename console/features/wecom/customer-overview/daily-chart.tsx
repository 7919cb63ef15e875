import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomersOverview } from './customer-overview.api';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** Customers added and lost per day as bars, the day's net as a line. */
export function DailyChart({ days }: { days: CustomersOverview['days'] }) {
  const { t } = useTranslation('wecomCustomers');
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!element.current) return;
    const chart = echarts.init(element.current);
    chart.setOption({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 32 },
      xAxis: { type: 'category', data: days.map((d) => d.day.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('overview.chart.added'), type: 'bar', data: days.map((d) => d.added), itemStyle: { color: '#1677ff' } },
        { name: t('overview.chart.lost'), type: 'bar', data: days.map((d) => d.lost), itemStyle: { color: '#ff4d4f' } },
        { name: t('overview.chart.net'), type: 'line', data: days.map((d) => d.added - d.lost), itemStyle: { color: '#52c41a' }, showSymbol: days.length <= 31 },
      ],
    });
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [days, t]);
  return <div ref={element} style={{ width: '100%', height: 300 }} data-testid="customer-overview-chart" />;
}
