// Every page has its own address, so any view can be bookmarked and shared.
import { createBrowserRouter } from 'react-router';
import { CohortBuilderPage } from './cohorts/cohort-builder-page.tsx';
import { CohortListPage } from './cohorts/cohort-list-page.tsx';
import { CohortPage } from './cohorts/cohort-page.tsx';
import { Layout } from './components/layout.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';
import { PersonPage } from './people/person-page.tsx';
import { NeighbourhoodListPage } from './place/neighbourhood-list-page.tsx';
import { NeighbourhoodPage } from './place/neighbourhood-page.tsx';
import { OverviewPage } from './place/overview-page.tsx';
import { DecisionPage } from './worklists/decision-page.tsx';
import { WorklistListPage } from './worklists/worklist-list-page.tsx';
import { WorklistPage } from './worklists/worklist-page.tsx';

export const router = createBrowserRouter([
  {
    Component: Layout,
    children: [
      { index: true, Component: OverviewPage },
      { path: 'neighbourhoods', Component: NeighbourhoodListPage },
      { path: 'neighbourhoods/:code', Component: NeighbourhoodPage },
      { path: 'cohorts', Component: CohortListPage },
      { path: 'cohorts/new', Component: CohortBuilderPage },
      { path: 'cohorts/:cohortId', Component: CohortPage },
      { path: 'cohorts/:cohortId/change', Component: CohortBuilderPage },
      { path: 'worklists', Component: WorklistListPage },
      { path: 'worklists/:worklistId', Component: WorklistPage },
      { path: 'worklists/:worklistId/people/:personId', Component: DecisionPage },
      { path: 'people/:personId', Component: PersonPage },
      { path: '*', Component: NotFoundPage },
    ],
  },
]);
