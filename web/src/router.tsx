// Every page has its own address, so any view can be bookmarked and shared. Pages for some roles only
// are wrapped in ForRole (access/pages.ts says which roles); a person's record is not, because the API
// answers "no record you can see" to anyone without a care relationship, whatever their role.
import { createBrowserRouter } from 'react-router';
import { ForRole } from './access/for-role.tsx';
import { CohortBuilderPage } from './cohorts/cohort-builder-page.tsx';
import { CohortListPage } from './cohorts/cohort-list-page.tsx';
import { CohortPage } from './cohorts/cohort-page.tsx';
import { Layout } from './components/layout.tsx';
import { AuditTrailPage } from './governance/audit-trail-page.tsx';
import { BreakGlassReviewPage } from './governance/break-glass-review-page.tsx';
import { RecordAccessPage } from './governance/record-access-page.tsx';
import { UnusualAccessPage } from './governance/unusual-access-page.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';
import { BreakGlassPage } from './people/break-glass-page.tsx';
import { FindPersonPage } from './people/find-person-page.tsx';
import { PersonPage } from './people/person-page.tsx';
import { NeighbourhoodListPage } from './place/neighbourhood-list-page.tsx';
import { NeighbourhoodPage } from './place/neighbourhood-page.tsx';
import { OverviewPage } from './place/overview-page.tsx';
import { SessionsPage } from './session/sessions-page.tsx';
import { StaffPage } from './staff/staff-page.tsx';
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
      {
        path: 'cohorts',
        element: (
          <ForRole page="cohorts">
            <CohortListPage />
          </ForRole>
        ),
      },
      {
        path: 'cohorts/new',
        element: (
          <ForRole page="cohorts" action="buildCohorts">
            <CohortBuilderPage />
          </ForRole>
        ),
      },
      {
        path: 'cohorts/:cohortId',
        element: (
          <ForRole page="cohorts">
            <CohortPage />
          </ForRole>
        ),
      },
      {
        path: 'cohorts/:cohortId/change',
        element: (
          <ForRole page="cohorts" action="buildCohorts">
            <CohortBuilderPage />
          </ForRole>
        ),
      },
      {
        path: 'worklists',
        element: (
          <ForRole page="worklists">
            <WorklistListPage />
          </ForRole>
        ),
      },
      {
        path: 'worklists/:worklistId',
        element: (
          <ForRole page="worklists">
            <WorklistPage />
          </ForRole>
        ),
      },
      {
        path: 'worklists/:worklistId/people/:personId',
        element: (
          <ForRole page="worklists">
            <DecisionPage />
          </ForRole>
        ),
      },
      {
        path: 'people',
        element: (
          <ForRole page="findPerson">
            <FindPersonPage />
          </ForRole>
        ),
      },
      {
        path: 'people/break-glass',
        element: (
          <ForRole page="findPerson">
            <BreakGlassPage />
          </ForRole>
        ),
      },
      { path: 'people/:personId', Component: PersonPage },
      {
        path: 'governance/record-access',
        element: (
          <ForRole page="recordAccess">
            <RecordAccessPage />
          </ForRole>
        ),
      },
      {
        path: 'governance/unusual-access',
        element: (
          <ForRole page="unusualAccess">
            <UnusualAccessPage />
          </ForRole>
        ),
      },
      {
        path: 'governance/break-glass',
        element: (
          <ForRole page="breakGlassReview">
            <BreakGlassReviewPage />
          </ForRole>
        ),
      },
      {
        path: 'governance/audit-trail',
        element: (
          <ForRole page="auditTrail">
            <AuditTrailPage />
          </ForRole>
        ),
      },
      {
        path: 'staff',
        element: (
          <ForRole page="staff">
            <StaffPage />
          </ForRole>
        ),
      },
      { path: 'sessions', Component: SessionsPage },
      { path: '*', Component: NotFoundPage },
    ],
  },
]);
