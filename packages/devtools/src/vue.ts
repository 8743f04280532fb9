import { defineComponent, onBeforeUnmount, onMounted, type PropType } from 'vue'
import { mountDevtools, type DevtoolsOptions, type Position } from './mount'

/**
 * The devtools as a Vue component: mounts the panel while mounted. It renders nothing itself (the
 * panel lives in its own element at the end of the body, out of the app's tree and styles).
 */
export const FollowSocketDevtools = defineComponent({
  name: 'FollowSocketDevtools',
  props: {
    position: { type: String as PropType<Position>, default: undefined },
    initialIsOpen: { type: Boolean, default: false },
    logCap: { type: Number, default: undefined },
  },
  setup(props) {
    let unmount: (() => void) | undefined
    onMounted(
      () =>
        (unmount = mountDevtools({
          position: props.position,
          initialIsOpen: props.initialIsOpen,
          logCap: props.logCap,
        })),
    )
    onBeforeUnmount(() => unmount?.())
    return () => null
  },
})

export { inspect } from './registry'
export type { DevtoolsOptions }
