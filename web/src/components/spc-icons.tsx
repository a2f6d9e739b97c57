// The Making Data Count summary icons, drawn as small inline SVGs: the variation icon (what the latest
// point shows) and the assurance icon (whether the process will meet its target). Each has the NHS
// England wording as its accessible name. Colours come from _spc.scss through currentColor: blue for
// improvement, orange for concern, grey for common cause, purple for neither; all at least 4.5:1 against
// white, so the letters pass as text and the rings as graphics.
import { type ReactNode, useId } from 'react';
import {
  ASSURANCE_LABELS,
  type SpcAssurance,
  type SpcVariation,
  VARIATION_LABELS,
} from '../../../src/stats/spc.ts';

/** The colour class of a variation: improvement, concern, common cause or neither. */
export function variationTone(variation: SpcVariation): 'improvement' | 'concern' | 'common' | 'neither' {
  if (variation.startsWith('improvement')) return 'improvement';
  if (variation.startsWith('concern')) return 'concern';
  if (variation.startsWith('neither')) return 'neither';
  return 'common';
}

const ASSURANCE_TONE: Record<Exclude<SpcAssurance, 'none'>, 'improvement' | 'concern' | 'common'> = {
  'consistently-passes': 'improvement',
  'consistently-fails': 'concern',
  inconsistent: 'common',
};

const ASSURANCE_LETTER: Record<Exclude<SpcAssurance, 'none'>, string> = {
  'consistently-passes': 'P',
  'consistently-fails': 'F',
  inconsistent: '?',
};

// Five dots of a little run chart inside the ring: level for common cause, ending high or low otherwise.
const DOTS = {
  level: [34, 28, 38, 30, 34],
  high: [44, 48, 42, 26, 20],
  low: [16, 12, 18, 32, 38],
} as const;

const LETTER = { fontFamily: 'arial, sans-serif', fontSize: '30', fontWeight: 'bold' } as const;

interface IconProps {
  /** Width and height in pixels; default 48. */
  size?: number;
  className?: string;
  /** Hide from assistive technology when the same words are printed beside the icon. */
  isDecorative?: boolean;
}

/** An icon's accessible name, or nothing for assistive technology when it only decorates its words. */
function naming(id: string, isDecorative: boolean) {
  return isDecorative
    ? ({ 'aria-hidden': true } as const)
    : ({ role: 'img', 'aria-labelledby': `${id}-title` } as const);
}

function Ring({ children }: { children: ReactNode }) {
  return (
    <>
      <circle cx="50" cy="50" r="45" fill="#ffffff" stroke="currentColor" strokeWidth="6" />
      {children}
    </>
  );
}

/** The variation icon, or nothing when there were too few points to judge. */
export function VariationIcon({
  variation,
  size = 48,
  className,
  isDecorative = false,
}: IconProps & { variation: SpcVariation }) {
  const id = useId();
  if (variation === 'none') return null;
  const direction = variation.endsWith('-high') ? 'high' : variation.endsWith('-low') ? 'low' : null;
  const dots = DOTS[direction ?? 'level'];
  // The dots sit in the upper half for "high" and the lower half for "low", the letter in the other.
  const dotsTop = direction === 'low' ? 36 : direction === 'high' ? 6 : 20;
  const xs = [24, 37, 50, 63, 76];
  const ys = dots.map((y) => y + dotsTop);
  return (
    <svg
      className={`app-spc-icon app-spc-icon--${variationTone(variation)}${className ? ` ${className}` : ''}`}
      viewBox="0 0 100 100"
      width={size}
      height={size}
      {...naming(id, isDecorative)}
      focusable="false"
    >
      <title id={`${id}-title`}>{VARIATION_LABELS[variation]}</title>
      <Ring>
        <polyline
          points={xs.map((x, i) => `${x},${ys[i]}`).join(' ')}
          fill="none"
          stroke="currentColor"
          strokeWidth="3"
        />
        {xs.map((x, i) => (
          <circle key={x} cx={x} cy={ys[i]} r="5" fill="currentColor" />
        ))}
        {direction ? (
          <text x="50" y={direction === 'high' ? 86 : 38} textAnchor="middle" fill="currentColor" {...LETTER}>
            {direction === 'high' ? 'H' : 'L'}
          </text>
        ) : null}
      </Ring>
    </svg>
  );
}

/** The assurance icon, or nothing when there is no target (or no direction of improvement). */
export function AssuranceIcon({
  assurance,
  size = 48,
  className,
  isDecorative = false,
}: IconProps & { assurance: SpcAssurance }) {
  const id = useId();
  if (assurance === 'none') return null;
  return (
    <svg
      className={`app-spc-icon app-spc-icon--${ASSURANCE_TONE[assurance]}${className ? ` ${className}` : ''}`}
      viewBox="0 0 100 100"
      width={size}
      height={size}
      {...naming(id, isDecorative)}
      focusable="false"
    >
      <title id={`${id}-title`}>{ASSURANCE_LABELS[assurance]}</title>
      <Ring>
        <text x="50" y="64" textAnchor="middle" fill="currentColor" {...LETTER} fontSize="48">
          {ASSURANCE_LETTER[assurance]}
        </text>
        <line x1="22" y1="74" x2="78" y2="74" stroke="currentColor" strokeWidth="4" strokeDasharray="8 5" />
      </Ring>
    </svg>
  );
}
