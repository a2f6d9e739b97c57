// Maps: any placemat figure for every ward or every small area (LSOA), shaded in five groups, with a
// legend and the same figures as a table. Suppressed values are hatched and named as such.
import { type FormEvent, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { lsoaFeatureCollection, wardFeatureCollection } from '../../../src/core/schemas/place.ts';
import { mapLayer, type ProfileIndex, profileIndex } from '../../../src/core/schemas/profile.ts';
import { useApi } from '../api/use-api.ts';
import { ApiProblem } from '../components/api-problem.tsx';
import { ChoroplethMap } from '../components/choropleth-map.tsx';
import { ErrorSummary } from '../components/error-summary.tsx';
import { Loading } from '../components/loading.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { Radios } from '../components/radios.tsx';
import { SelectField } from '../components/select-field.tsx';
import { useStatusMessage } from '../components/status-message.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { usePlace } from '../place/place-context.tsx';
import { comparisonTag, formatInterval, formatValue, longDate } from './format.ts';

const DEFAULT_FIGURE = 'emergency-admissions';
type Level = 'ward' | 'lsoa';

export function MapPage() {
  const place = usePlace();
  const placeId = place.state === 'ready' ? place.data.place.id : null;
  const base = placeId && `/api/places/${encodeURIComponent(placeId)}`;
  const index = useApi(base && `${base}/profiles`, profileIndex);
  if (place.state === 'failed') return <ApiProblem error={place.error} />;
  if (place.state === 'none') return <NotFoundPage what="No place has been loaded into Joined Up yet." />;
  if (index.state === 'loading' || base === null) return <Loading what="the maps" />;
  if (index.state === 'failed') {
    if (index.error.isNotFound) return <NotFoundPage what={index.error.message} />;
    return <ApiProblem error={index.error} />;
  }
  return (
    <Maps base={base} index={index.data} placeName={place.state === 'ready' ? place.data.place.name : ''} />
  );
}

function Maps({ base, index, placeName }: { base: string; index: ProfileIndex; placeName: string }) {
  const [params, setParams] = useSearchParams();
  const asked =
    index.figures.find((f) => f.id === params.get('figure')) ??
    index.figures.find((f) => f.id === DEFAULT_FIGURE) ??
    index.figures[0];
  const level: Level = params.get('level') === 'lsoa' && asked?.levels.includes('lsoa') ? 'lsoa' : 'ward';
  const [figureChoice, setFigureChoice] = useState(asked?.id ?? '');
  const [levelChoice, setLevelChoice] = useState<Level>(level);
  const [problem, setProblem] = useState<string | null>(null);
  // Back and forward change the address: the form follows it.
  useEffect(() => {
    setFigureChoice(asked?.id ?? '');
    setLevelChoice(level);
    setProblem(null);
  }, [asked?.id, level]);
  const layer = useApi(asked ? `${base}/maps/${asked.id}/${level}` : null, mapLayer);
  const wards = useApi(level === 'ward' ? `${base}/boundaries/wards` : null, wardFeatureCollection);
  const lsoas = useApi(level === 'lsoa' ? `${base}/boundaries/lsoas` : null, lsoaFeatureCollection);
  const boundaries = level === 'ward' ? wards : lsoas;
  useStatusMessage(layer.state === 'ready' ? `Map of ${layer.data.figure.label} loaded` : '');

  const show = (e: FormEvent) => {
    e.preventDefault();
    const chosen = index.figures.find((f) => f.id === figureChoice);
    if (!chosen?.levels.includes(levelChoice)) {
      setProblem(
        'This figure is published for wards only, to keep small numbers safe. Choose wards, or another figure.',
      );
      return;
    }
    setProblem(null);
    setParams({ figure: figureChoice, level: levelChoice });
  };
  const levelWords = level === 'ward' ? 'wards' : 'small areas (LSOAs)';

  return (
    <>
      <PageHeading>Maps</PageHeading>
      <p className="nhsuk-lede-text">{`Any figure from the placemats for every ward or small area of ${placeName}, on ${longDate(index.referenceDate)}.`}</p>
      {problem ? <ErrorSummary problems={[{ fieldId: 'level', message: problem }]} /> : null}
      <form className="app-map-form app-print-hidden" onSubmit={show} noValidate>
        <SelectField
          id="figure"
          label="Figure"
          value={figureChoice}
          onChange={setFigureChoice}
          options={index.figures.map((f) => ({ value: f.id, label: f.label }))}
        />
        <Radios
          id="level"
          legend="Areas"
          legendSize="s"
          isInline
          {...(problem ? { error: problem } : {})}
          value={levelChoice}
          onChange={(v) => setLevelChoice(v as Level)}
          options={[
            { value: 'ward', label: 'Wards' },
            {
              value: 'lsoa',
              label: 'Small areas (LSOAs)',
              hint: 'Not every figure: some are published for wards only',
            },
          ]}
        />
        <button className="nhsuk-button" type="submit">
          Show the map
        </button>
      </form>
      {layer.state === 'failed' ? <ApiProblem error={layer.error} /> : null}
      {boundaries.state === 'failed' ? <ApiProblem error={boundaries.error} /> : null}
      {layer.state === 'loading' || boundaries.state === 'loading' ? <Loading what="the map" /> : null}
      {layer.state === 'ready' && boundaries.state === 'ready' ? (
        <>
          <h2 className="nhsuk-heading-m">{`${layer.data.figure.label} by ${level === 'ward' ? 'ward' : 'small area'}`}</h2>
          <ChoroplethMap
            boundaries={boundaries.data}
            areas={layer.data.areas.map((a) => {
              const tag = comparisonTag(a.comparison);
              return {
                code: a.code,
                name: a.name,
                parentName: a.parentName,
                value: a.value,
                shown: a.suppressed ? '*' : formatValue(a.value, layer.data.figure.unit),
                suppressed: a.suppressed,
                words: a.suppressed
                  ? 'not shown: too few people to publish safely'
                  : a.value === null
                    ? (a.note ?? 'no value')
                    : `95% interval ${formatInterval(a.lower, a.upper, layer.data.figure.unit)}; compared with the borough: ${tag.words.toLowerCase()}`,
              };
            })}
            label={`Map of ${layer.data.figure.label.toLowerCase()} in ${placeName}’s ${layer.data.areas.length} ${levelWords}`}
            legendTitle={`${layer.data.figure.label} (${layer.data.figure.unit})`}
            areaKindLabel={level === 'ward' ? 'Ward' : 'LSOA'}
            parentKindLabel={level === 'ward' ? 'Neighbourhood' : 'Ward'}
            boundaryLines="neighbourhood"
            suppressedLabel="Not shown: too few people to publish safely"
          />
        </>
      ) : null}
    </>
  );
}
