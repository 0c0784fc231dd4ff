// ECharts for the bar charts: bars on a grid with a legend (tree-shaken;
// loaded with the first bar chart).
import { use, init, registerMap } from 'echarts/core'
import { BarChart } from 'echarts/charts'
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'
import type { ChartLib } from './echarts'

use([BarChart, AriaComponent, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer])

export const lib: ChartLib = { init, registerMap }
