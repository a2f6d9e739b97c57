// Every page: skip link, NHS.UK header with the service and place names, who is signed in with their
// sessions and sign-out, navigation by role (access/pages.ts), the neighbourhood switcher, the page
// itself and the footer. With no session the page asked for is replaced by the sign-in page.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Link, Outlet, useLocation, useMatch } from 'react-router';
import { type AppPage, navigationFor } from '../access/pages.ts';
import { PlaceProvider, usePlace } from '../place/place-context.tsx';
import { SessionProvider, useSession } from '../session/session-context.tsx';
import { SignInPage } from '../session/sign-in-page.tsx';
import { ApiProblem } from './api-problem.tsx';
import { Loading } from './loading.tsx';
import { NeighbourhoodSwitcher } from './neighbourhood-switcher.tsx';
import { NhsLogo } from './nhs-logo.tsx';
import { StatusMessageProvider } from './status-message.tsx';

export function Layout() {
  return (
    <SessionProvider>
      <StatusMessageProvider>
        <Shell />
      </StatusMessageProvider>
    </SessionProvider>
  );
}

function Shell() {
  const { current } = useSession();
  const isSignedIn = current.state === 'signed-in';
  return (
    <PlaceProvider enabled={isSignedIn}>
      <a className="nhsuk-skip-link" href="#maincontent">
        Skip to main content
      </a>
      <Header />
      <div className="nhsuk-width-container">
        {isSignedIn ? <Switcher /> : null}
        <main className="nhsuk-main-wrapper app-main" id="maincontent" tabIndex={-1}>
          {current.state === 'signed-in' ? (
            <Outlet />
          ) : current.state === 'signed-out' ? (
            <SignInPage why={current.why} />
          ) : current.state === 'failed' ? (
            <ApiProblem error={current.error} />
          ) : (
            <Loading what="Joined Up" />
          )}
        </main>
      </div>
      <Footer />
    </PlaceProvider>
  );
}

function Header() {
  const place = usePlace();
  const { current } = useSession();
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
        {current.state === 'signed-in' ? <Account /> : null}
      </div>
      {current.state === 'signed-in' ? <Navigation items={navigationFor(current.session.user.role)} /> : null}
    </header>
  );
}

/** The signed-in staff member, their sessions and signing out (NHS.UK header account items). */
function Account() {
  const { current, signOut } = useSession();
  if (current.state !== 'signed-in') return null;
  const { user } = current.session;
  return (
    <nav className="nhsuk-header__account" aria-label="Account">
      <ul className="nhsuk-header__account-list">
        <li className="nhsuk-header__account-item">
          <svg
            className="nhsuk-icon nhsuk-icon--user"
            xmlns="http://www.w3.org/2000/svg"
            viewBox="0 0 24 24"
            width="16"
            height="16"
            focusable="false"
            aria-hidden="true"
          >
            <path d="M12 1a11 11 0 1 1 0 22 11 11 0 0 1 0-22Zm0 2a9 9 0 0 0-5 16.5V18a4 4 0 0 1 4-4h2a4 4 0 0 1 4 4v1.5A9 9 0 0 0 12 3Zm0 3a3.5 3.5 0 1 1-3.5 3.5A3.4 3.4 0 0 1 12 6Z" />
          </svg>
          {/* One element: the account item lays its children out apart, which put a space before the comma. */}
          <span>
            <span className="nhsuk-u-visually-hidden">Signed in as </span>
            <span className="app-account__name">{user.name}</span>, {user.roleTitle}
          </span>
        </li>
        <li className="nhsuk-header__account-item">
          <Link className="nhsuk-header__account-link" to="/sessions">
            Your sessions
          </Link>
        </li>
        <li className="nhsuk-header__account-item">
          <form
            className="nhsuk-header__account-form"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void signOut();
            }}
          >
            <button type="submit" className="nhsuk-header__account-button">
              Sign out
            </button>
          </form>
        </li>
      </ul>
    </nav>
  );
}

/**
 * The header's navigation. Items that do not fit the width move into a "More" menu, as NHS.UK
 * frontend's own header script does; it is done here in React because that script moves elements
 * React owns. Widths are measured with every item in the row, then the overflow is worked out.
 */
/** Room kept for the "More" button when some items move into its menu. */
const MORE_BUTTON_WIDTH = 96;

function Navigation({ items }: { items: AppPage[] }) {
  const { pathname } = useLocation();
  const navRef = useRef<HTMLElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const menuListRef = useRef<HTMLUListElement>(null);
  const [overflowFrom, setOverflowFrom] = useState<number | null>(null);
  const [isMeasuring, setMeasuring] = useState(true);
  // The menu is open only on the page it was opened on: following a link closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const isOpen = openOn === pathname;
  const setOpen = (open: boolean) => setOpenOn(open ? pathname : null);

  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list || !isMeasuring) return;
    const items = Array.from(list.querySelectorAll<HTMLElement>(':scope > .nhsuk-header__navigation-item'));
    const rights: number[] = [];
    let right = 0;
    for (const item of items) {
      right += item.offsetWidth;
      rights.push(right);
    }
    const width = list.offsetWidth;
    const fits = (rights[rights.length - 1] ?? 0) <= width;
    const first = rights.findIndex((r) => r > width - MORE_BUTTON_WIDTH);
    setOverflowFrom(fits || first < 0 ? null : Math.max(first, 1));
    setMeasuring(false);
  }, [isMeasuring]);

  // Measure again when the navigation's width changes (window resized, text zoomed), not otherwise.
  useEffect(() => {
    const nav = navRef.current;
    if (!nav) return;
    let width = nav.offsetWidth;
    const observer = new ResizeObserver(() => {
      if (nav.offsetWidth === width) return;
      width = nav.offsetWidth;
      setMeasuring(true);
    });
    observer.observe(nav);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (!isOpen) return;
    const close = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpenOn(null);
    };
    document.addEventListener('keydown', close);
    return () => document.removeEventListener('keydown', close);
  }, [isOpen]);

  const shown = isMeasuring || overflowFrom === null ? items : items.slice(0, overflowFrom);
  const hidden = isMeasuring || overflowFrom === null ? [] : items.slice(overflowFrom);
  const menuHeight = isOpen ? (menuListRef.current?.offsetHeight ?? 0) : 0;
  return (
    <nav
      className="nhsuk-header__navigation"
      aria-label="Menu"
      ref={navRef}
      style={isOpen && menuHeight > 0 ? { borderBottomWidth: `${menuHeight}px` } : undefined}
    >
      <div className="nhsuk-header__navigation-container nhsuk-width-container">
        <ul className="nhsuk-header__navigation-list" ref={listRef}>
          {shown.map((item) => (
            <NavigationItem key={item.href} item={item} pathname={pathname} />
          ))}
          <li className="nhsuk-header__menu" hidden={hidden.length === 0}>
            <button
              type="button"
              className="nhsuk-header__menu-toggle nhsuk-header__navigation-link"
              aria-expanded={isOpen}
              onClick={() => setOpen(!isOpen)}
            >
              <span className="nhsuk-u-visually-hidden">Browse </span>More
            </button>
            <ul className="nhsuk-header__menu-list" ref={menuListRef} hidden={!isOpen}>
              {hidden.map((item) => (
                <NavigationItem key={item.href} item={item} pathname={pathname} />
              ))}
            </ul>
          </li>
        </ul>
      </div>
    </nav>
  );
}

function NavigationItem({ item, pathname }: { item: AppPage; pathname: string }) {
  const isCurrent = item.isCurrent(pathname);
  const isPage = isCurrent && pathname === item.href;
  return (
    <li
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
