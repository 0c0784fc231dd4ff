// ECharts for the maps: a geo component with the register's regions and the
// clusters as scatter points (tree-shaken; loaded with the first map).
import { use, init, registerMap } from 'echarts/core'
import { ScatterChart } from 'echarts/charts'
import { AriaComponent, GeoComponent, TooltipComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'
import type { ChartLib } from './echarts'

use([ScatterChart, AriaComponent, GeoComponent, TooltipComponent, CanvasRenderer])

export const lib: ChartLib = { init, registerMap }
