-- Visits in the daily audience counts (purpose `audience_aggregates`): per
-- day, dimension and value, the visits that touched it (for `page`, that
-- viewed it), those of one page view, and the sum of their durations in
-- seconds. New dimensions: `entry` and `exit` (first and last page of a
-- visit), `goal`, `goal_campaign`, `goal_entry`, `goal_device` (visits
-- reaching a goal, alone and by campaign, entry page and device type) and
-- `funnel` (visits reaching a funnel's steps in order). Counts only.
ALTER TABLE audience_daily ADD COLUMN visits BIGINT NOT NULL DEFAULT 0;
ALTER TABLE audience_daily ADD COLUMN bounces BIGINT NOT NULL DEFAULT 0;
ALTER TABLE audience_daily ADD COLUMN duration_s BIGINT NOT NULL DEFAULT 0;
-- Days whose raw rows are all still there are counted again by the next
-- roll-up, with their visits; older days keep their page views and visitors
-- (their visits stay 0: nothing is left to count them from).
DELETE FROM audience_daily
WHERE day_start >= (SELECT MIN(occurred_at) FROM visitor_log WHERE purpose = 'audience');
