-- Mirrors SQLite's 0008_metric_units_spend_metric: a unit per metric key on a source
-- (JSON, like selectors), whether a metric's newest value is partial (a lower bound),
-- and the SOURCE.KEY a campaign's spend follows for budget pacing.

ALTER TABLE metric_source ADD COLUMN units text NOT NULL DEFAULT '{}';
ALTER TABLE metric_latest ADD COLUMN partial integer NOT NULL DEFAULT 0;
ALTER TABLE campaign ADD COLUMN spend_metric text;
