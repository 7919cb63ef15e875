import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { FollowUpOverview } from './follow-ups.api';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** Written, due and overdue follow-ups per member, as grouped bars. */
export function OverviewChart({ overview }: { overview: FollowUpOverview }) {
  const { t } = useTranslation('wecomFollowUps');
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!element.current) return;
    const chart = echarts.init(element.current);
    const members = overview.members;
    chart.setOption({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 48 },
      xAxis: { type: 'category', data: members.map((m) => m.name ?? m.userid), axisLabel: { interval: 0, rotate: members.length > 8 ? 30 : 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('overview.written'), type: 'bar', data: members.map((m) => m.written), itemStyle: { color: '#1677ff' } },
        { name: t('overview.due'), type: 'bar', data: members.map((m) => m.due), itemStyle: { color: '#faad14' } },
        { name: t('overview.overdue'), type: 'bar', data: members.map((m) => m.overdue), itemStyle: { color: '#ff4d4f' } },
      ],
    });
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [overview, t]);
  return <div ref={element} style={{ width: '100%', height: 280 }} data-testid="follow-ups-overview-chart" />;
}
