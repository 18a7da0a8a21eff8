// Numbers as the engine's sentences show them: the one shared formatting module (common/format.ts).
export { formatCount, formatCountOf, formatDuration, formatPercent, formatRate } from '../../common/format.js';
