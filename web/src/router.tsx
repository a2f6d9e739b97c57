// Every page has its own address, so any view can be bookmarked and shared. Pages for some roles only
// are wrapped in ForRole (access/pages.ts says which roles); a person's record and timeline are not: the API
// answers "no record you can see" to anyone without a care relationship, whatever their role.
import { createBrowserRouter } from 'react-router';
import { ForRole } from './access/for-role.tsx';
import { CaseHistoryPage } from './cases/case-history-page.tsx';
import { CasePage } from './cases/case-page.tsx';
import { CaseTeamPage } from './cases/case-team-page.tsx';
import { CaseloadPage } from './cases/caseload-page.tsx';
import { CloseCasePage } from './cases/close-case-page.tsx';
import { ConsentPage } from './cases/consent-page.tsx';
import { ContactPage } from './cases/contact-page.tsx';
import { MyWorkPage } from './cases/my-work-page.tsx';
import { PlanPage } from './cases/plan-page.tsx';
import { ReferPage } from './cases/refer-page.tsx';
import { ReferralListPage } from './cases/referral-list-page.tsx';
import { ReviewPage } from './cases/review-page.tsx';
import { TriagePage } from './cases/triage-page.tsx';
import { CohortBuilderPage } from './cohorts/cohort-builder-page.tsx';
import { CohortListPage } from './cohorts/cohort-list-page.tsx';
import { CohortPage } from './cohorts/cohort-page.tsx';
import { Layout } from './components/layout.tsx';
import { ServiceEditPage } from './directory/service-edit-page.tsx';
import { ServiceListPage } from './directory/service-list-page.tsx';
import { AuditTrailPage } from './governance/audit-trail-page.tsx';
import { BreakGlassReviewPage } from './governance/break-glass-review-page.tsx';
import { RecordAccessPage } from './governance/record-access-page.tsx';
import { UnusualAccessPage } from './governance/unusual-access-page.tsx';
import { HuddlePage } from './huddles/huddle-page.tsx';
import { CsvTemplatesPage } from './imports/csv-templates-page.tsx';
import { ImportJobPage } from './imports/import-job-page.tsx';
import { ImportListPage } from './imports/import-list-page.tsx';
import { MatchReviewPage } from './imports/match-review-page.tsx';
import { DiscussionPage } from './meetings/discussion-page.tsx';
import { MeetingListPage } from './meetings/meeting-list-page.tsx';
import { MeetingPage } from './meetings/meeting-page.tsx';
import { MinutesPage } from './meetings/minutes-page.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';
import { BreakGlassPage } from './people/break-glass-page.tsx';
import { FindPersonPage } from './people/find-person-page.tsx';
import { PersonPage } from './people/person-page.tsx';
import { TimelinePage } from './people/timeline-page.tsx';
import { NeighbourhoodListPage } from './place/neighbourhood-list-page.tsx';
import { NeighbourhoodPage } from './place/neighbourhood-page.tsx';
import { OverviewPage } from './place/overview-page.tsx';
import { IndicatorPage } from './profiles/indicator-page.tsx';
import { MapPage } from './profiles/map-page.tsx';
import { OutcomesPage } from './profiles/outcomes-page.tsx';
import { PlacematPage } from './profiles/placemat-page.tsx';
import { ProfileListPage } from './profiles/profile-list-page.tsx';
import { ReferToServicePage } from './service-referrals/refer-to-service-page.tsx';
import { ServiceReferralInboxPage } from './service-referrals/service-referral-inbox-page.tsx';
import { ServiceReferralPage } from './service-referrals/service-referral-page.tsx';
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
      { path: 'profiles', Component: ProfileListPage },
      { path: 'profiles/:areaKind/:code', Component: PlacematPage },
      { path: 'maps', Component: MapPage },
      { path: 'outcomes', Component: OutcomesPage },
      { path: 'outcomes/:indicatorId/:areaKind/:code/:period', Component: IndicatorPage },
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
      // Case management. A case's own pages are open to every direct-care role: the API answers "no case
      // you can see" to anyone without a relationship with its person (or, outside health and social
      // care, without the person's consent naming their agency).
      {
        path: 'referrals',
        element: (
          <ForRole page="referrals">
            <ReferralListPage />
          </ForRole>
        ),
      },
      {
        path: 'referrals/:referralId',
        element: (
          <ForRole page="referrals">
            <TriagePage />
          </ForRole>
        ),
      },
      {
        path: 'refer',
        element: (
          <ForRole action="referPeople">
            <ReferPage />
          </ForRole>
        ),
      },
      {
        path: 'caseload',
        element: (
          <ForRole page="caseload">
            <CaseloadPage />
          </ForRole>
        ),
      },
      {
        path: 'cases/:caseId',
        element: (
          <ForRole page="caseload">
            <CasePage />
          </ForRole>
        ),
      },
      {
        path: 'cases/:caseId/plan',
        element: (
          <ForRole page="caseload">
            <PlanPage />
          </ForRole>
        ),
      },
      {
        path: 'cases/:caseId/team',
        element: (
          <ForRole page="caseload">
            <CaseTeamPage />
          </ForRole>
        ),
      },
      {
        path: 'cases/:caseId/consent',
        element: (
          <ForRole page="caseload">
            <ConsentPage />
          </ForRole>
        ),
      },
      {
        path: 'cases/:caseId/review',
        element: (
          <ForRole page="caseload">
            <ReviewPage />
          </ForRole>
        ),
      },
      {
        path: 'cases/:caseId/contact',
        element: (
          <ForRole page="caseload">
            <ContactPage />
          </ForRole>
        ),
      },
      {
        path: 'cases/:caseId/close',
        element: (
          <ForRole page="caseload">
            <CloseCasePage />
          </ForRole>
        ),
      },
      {
        path: 'cases/:caseId/history',
        element: (
          <ForRole page="caseload">
            <CaseHistoryPage />
          </ForRole>
        ),
      },
      // Referrals into the services of the directory: made from a case, received in the inbox of the
      // organisation that runs the service, moved on there, and followed from the case.
      {
        path: 'cases/:caseId/refer-to-service',
        element: (
          <ForRole page="caseload" action="referToServices">
            <ReferToServicePage />
          </ForRole>
        ),
      },
      {
        path: 'service-referrals',
        element: (
          <ForRole page="serviceReferrals">
            <ServiceReferralInboxPage />
          </ForRole>
        ),
      },
      {
        path: 'service-referrals/:referralId',
        element: (
          <ForRole page="serviceReferrals">
            <ServiceReferralPage />
          </ForRole>
        ),
      },
      {
        path: 'huddle',
        element: (
          <ForRole page="huddle">
            <HuddlePage />
          </ForRole>
        ),
      },
      {
        path: 'mdt',
        element: (
          <ForRole page="mdt">
            <MeetingListPage />
          </ForRole>
        ),
      },
      {
        path: 'mdt/:meetingId',
        element: (
          <ForRole page="mdt">
            <MeetingPage />
          </ForRole>
        ),
      },
      {
        path: 'mdt/:meetingId/items/:itemId',
        element: (
          <ForRole page="mdt">
            <DiscussionPage />
          </ForRole>
        ),
      },
      {
        path: 'mdt/:meetingId/minutes',
        element: (
          <ForRole page="mdt">
            <MinutesPage />
          </ForRole>
        ),
      },
      {
        path: 'my-work',
        element: (
          <ForRole page="myWork">
            <MyWorkPage />
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
      { path: 'people/:personId/timeline', Component: TimelinePage },
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
      // The services directory, for its editors (the public pages are at /directory, served by the server).
      {
        path: 'services',
        element: (
          <ForRole page="directory">
            <ServiceListPage />
          </ForRole>
        ),
      },
      {
        path: 'services/new',
        element: (
          <ForRole page="directory">
            <ServiceEditPage />
          </ForRole>
        ),
      },
      {
        path: 'services/:serviceId',
        element: (
          <ForRole page="directory">
            <ServiceEditPage />
          </ForRole>
        ),
      },
      {
        path: 'imports',
        element: (
          <ForRole page="imports">
            <ImportListPage />
          </ForRole>
        ),
      },
      {
        path: 'imports/templates',
        element: (
          <ForRole page="imports">
            <CsvTemplatesPage />
          </ForRole>
        ),
      },
      {
        path: 'imports/:jobId',
        element: (
          <ForRole page="imports">
            <ImportJobPage />
          </ForRole>
        ),
      },
      {
        path: 'match-review',
        element: (
          <ForRole page="matchReview">
            <MatchReviewPage />
          </ForRole>
        ),
      },
      { path: 'sessions', Component: SessionsPage },
      { path: '*', Component: NotFoundPage },
    ],
  },
]);
