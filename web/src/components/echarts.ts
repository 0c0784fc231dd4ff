// The chart option's type for every page (types only: nothing of ECharts
// is loaded by importing this). The runtime is split in two modules, each
// registering only what its charts use, so that a page loads one of them
// with its first chart: `echarts-map.ts` (the home page's and the
// directory's maps) and `echarts-bar.ts` (the profiles' and workspaces'
// bar charts). `MapChart.vue` and `BarChart.vue` are the components.
import type { ComposeOption, init, registerMap } from 'echarts/core'
import type { BarSeriesOption, ScatterSeriesOption } from 'echarts/charts'
import type {
  GeoComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
} from 'echarts/components'

export type ChartOption = ComposeOption<
  BarSeriesOption | ScatterSeriesOption | GeoComponentOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>

/** What a chart component needs of an ECharts build. */
export interface ChartLib {
  init: typeof init
  registerMap: typeof registerMap
}

/** The properties of `MapChart` and `BarChart`. */
export interface ChartProps {
  option: ChartOption
  label: string
  points: number
  height?: string
  map?: { name: string; geojson: unknown }
}
