// Choose a neighbourhood and press "Show neighbourhood". It never navigates on change, so keyboard and
// screen reader users can move through the options freely.
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useNavigate } from 'react-router';

export interface SwitcherOption {
  code: string;
  name: string;
}

export function NeighbourhoodSwitcher({
  options,
  current,
}: {
  options: SwitcherOption[];
  current: string | null;
}) {
  const id = useId();
  const navigate = useNavigate();
  const [chosen, setChosen] = useState(current ?? options[0]?.code ?? '');
  useEffect(() => {
    if (current) setChosen(current);
  }, [current]);

  function show(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (chosen) navigate(`/neighbourhoods/${encodeURIComponent(chosen)}`);
  }

  return (
    <form className="app-switcher" onSubmit={show} aria-label="Choose a neighbourhood" noValidate>
      <div className="nhsuk-form-group app-switcher__group">
        <label className="nhsuk-label app-switcher__label" htmlFor={`${id}-select`}>
          Neighbourhood
        </label>
        <select
          className="nhsuk-select app-switcher__select"
          id={`${id}-select`}
          name="neighbourhood"
          value={chosen}
          onChange={(e) => setChosen(e.target.value)}
        >
          {options.map((o) => (
            <option key={o.code} value={o.code}>
              {o.name}
            </option>
          ))}
        </select>
        <button
          className="nhsuk-button nhsuk-button--secondary nhsuk-button--small app-switcher__button"
          type="submit"
        >
          Show neighbourhood
        </button>
      </div>
    </form>
  );
}
