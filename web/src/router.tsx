// Every page has its own address, so any view can be bookmarked and shared.
import { createBrowserRouter } from 'react-router';
import { Layout } from './components/layout.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';
import { PersonPage } from './people/person-page.tsx';
import { NeighbourhoodListPage } from './place/neighbourhood-list-page.tsx';
import { NeighbourhoodPage } from './place/neighbourhood-page.tsx';
import { OverviewPage } from './place/overview-page.tsx';

export const router = createBrowserRouter([
  {
    Component: Layout,
    children: [
      { index: true, Component: OverviewPage },
      { path: 'neighbourhoods', Component: NeighbourhoodListPage },
      { path: 'neighbourhoods/:code', Component: NeighbourhoodPage },
      { path: 'people/:personId', Component: PersonPage },
      { path: '*', Component: NotFoundPage },
    ],
  },
]);
