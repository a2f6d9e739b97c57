// Every page: skip link, NHS.UK header with the service and place names, navigation by capability, the
// neighbourhood switcher, the page itself and the footer.
import { Link, Outlet, useLocation, useMatch } from 'react-router';
import { PlaceProvider, usePlace } from '../place/place-context.tsx';
import { NeighbourhoodSwitcher } from './neighbourhood-switcher.tsx';
import { NhsLogo } from './nhs-logo.tsx';
import { StatusMessageProvider } from './status-message.tsx';

/** Capabilities, in the order they appear. Add a link here only when its page exists. */
const NAVIGATION = [
  { href: '/', text: 'Overview', isCurrent: (path: string) => path === '/' },
  {
    href: '/neighbourhoods',
    text: 'Neighbourhoods',
    isCurrent: (path: string) => path.startsWith('/neighbourhoods'),
  },
  { href: '/cohorts', text: 'Cohorts', isCurrent: (path: string) => path.startsWith('/cohorts') },
  { href: '/worklists', text: 'Worklists', isCurrent: (path: string) => path.startsWith('/worklists') },
] as const;

export function Layout() {
  return (
    <PlaceProvider>
      <StatusMessageProvider>
        <a className="nhsuk-skip-link" href="#maincontent">
          Skip to main content
        </a>
        <Header />
        <div className="nhsuk-width-container">
          <Switcher />
          <main className="nhsuk-main-wrapper app-main" id="maincontent" tabIndex={-1}>
            <Outlet />
          </main>
        </div>
        <Footer />
      </StatusMessageProvider>
    </PlaceProvider>
  );
}

function Header() {
  const place = usePlace();
  const { pathname } = useLocation();
  const placeName = place.state === 'ready' ? place.data.place.name : null;
  return (
    <header className="nhsuk-header">
      <div className="nhsuk-header__container nhsuk-width-container">
        <div className="nhsuk-header__service">
          <Link className="nhsuk-header__service-logo" to="/">
            <NhsLogo />
            <span className="nhsuk-header__service-name">Joined Up</span>
          </Link>
          {placeName ? (
            <span className="app-header__place">
              <span className="nhsuk-u-visually-hidden">Place: </span>
              {placeName}
            </span>
          ) : null}
        </div>
      </div>
      <nav className="nhsuk-header__navigation" aria-label="Menu">
        <div className="nhsuk-header__navigation-container nhsuk-width-container">
          <ul className="nhsuk-header__navigation-list">
            {NAVIGATION.map((item) => {
              const isCurrent = item.isCurrent(pathname);
              const isPage = isCurrent && pathname === item.href;
              return (
                <li
                  key={item.href}
                  className={`nhsuk-header__navigation-item${isCurrent ? ' nhsuk-header__navigation-item--current' : ''}`}
                >
                  <Link
                    className="nhsuk-header__navigation-link"
                    to={item.href}
                    aria-current={isPage ? 'page' : isCurrent ? 'true' : undefined}
                  >
                    {isCurrent ? (
                      <strong className="nhsuk-header__navigation-item-current-fallback">{item.text}</strong>
                    ) : (
                      item.text
                    )}
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      </nav>
    </header>
  );
}

function Switcher() {
  const place = usePlace();
  const match = useMatch('/neighbourhoods/:code');
  if (place.state !== 'ready') return null;
  const options = place.data.neighbourhoods.map((n) => ({ code: n.code, name: n.name }));
  const current = options.some((o) => o.code === match?.params.code) ? (match?.params.code ?? null) : null;
  return <NeighbourhoodSwitcher options={options} current={current} />;
}

function Footer() {
  return (
    <footer className="nhsuk-footer">
      <div className="nhsuk-width-container">
        <div className="nhsuk-footer__meta">
          <h2 className="nhsuk-u-visually-hidden">Support links</h2>
          <ul className="nhsuk-footer__list">
            <li className="nhsuk-footer__list-item">
              <a className="nhsuk-footer__list-item-link" href="/api/docs/json">
                API description (OpenAPI)
              </a>
            </li>
          </ul>
          <p className="nhsuk-body-s">
            Joined Up is open-source software for neighbourhood health and care. Contains data from the Office
            for National Statistics and the English Indices of Deprivation.
          </p>
        </div>
      </div>
    </footer>
  );
}
