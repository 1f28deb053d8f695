"""The DuckDB schema: every fact row carries the snapshot it came from."""

from __future__ import annotations

SCHEMA_VERSION = 4

TABLES = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);

CREATE TABLE IF NOT EXISTS snapshot (
    snapshot_id     INTEGER PRIMARY KEY,
    source          VARCHAR NOT NULL,      -- dataset, e.g. sipri_arms_transfers
    layout          VARCHAR NOT NULL,      -- detected layout, e.g. web_register
    file_name       VARCHAR NOT NULL,
    url             VARCHAR,
    sha256          VARCHAR NOT NULL UNIQUE,
    bytes           BIGINT NOT NULL,
    retrieved_at    TIMESTAMP,
    generated_at    TIMESTAMP,             -- the publisher's "Data generated" stamp
    release         VARCHAR NOT NULL,      -- publisher's generation date, or 'undated-<sha>'
    scope_suppliers VARCHAR,               -- "All countries", or a selection
    scope_recipients VARCHAR,
    selection       VARCHAR,               -- "deliveries made", "deliveries or orders made"
    year_from       VARCHAR,
    year_to         VARCHAR,
    last_year       INTEGER,               -- newest year with data
    unpublished_years VARCHAR,             -- TIV tables: all-empty year columns
    n_records       BIGINT,                -- deals (registers) or entities (TIV tables)
    n_rows          BIGINT,                -- delivery rows (registers) or cells (TIV tables)
    allowed_exceptions INTEGER,            -- data-check findings waved through by the allow-list
    ingested_at     TIMESTAMP NOT NULL,
    content_sha256  VARCHAR,               -- digest of the parsed content (store/identity.py)
    publisher_stamp VARCHAR                -- the publisher's own stamp where it is not a date ('© SIPRI 2021')
);

-- Other files (other bytes, same parsed content) already stored as a snapshot.
CREATE TABLE IF NOT EXISTS snapshot_file (
    sha256 VARCHAR PRIMARY KEY, snapshot_id INTEGER NOT NULL, file_name VARCHAR NOT NULL,
    bytes BIGINT NOT NULL, seen_at TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS entity (
    entity_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, iso3 VARCHAR, kind VARCHAR NOT NULL,
    region VARCHAR, subregion VARCHAR, first_year INTEGER, last_year INTEGER, successor_id VARCHAR
);
CREATE TABLE IF NOT EXISTS entity_alias (source VARCHAR, alias VARCHAR, entity_id VARCHAR);

CREATE TABLE IF NOT EXISTS deal (
    deal_key        BIGINT PRIMARY KEY,    -- snapshot_id * 2^32 + position in the file
    snapshot_id     INTEGER NOT NULL,
    src_line        INTEGER NOT NULL,      -- line in the source file where the record starts
    sipri_id        BIGINT,                -- 'SIPRI AT Database ID' where the layout has it
    supplier_id     VARCHAR NOT NULL,
    recipient_id    VARCHAR NOT NULL,
    supplier_name   VARCHAR NOT NULL,      -- as spelled in the file
    recipient_name  VARCHAR NOT NULL,
    designation     VARCHAR,
    description     VARCHAR,
    category        VARCHAR NOT NULL,
    category_source VARCHAR NOT NULL,      -- 'publisher' or 'mapping'
    order_year      INTEGER,
    order_year_est  BOOLEAN,               -- NULL where the layout has no flag
    n_ordered       INTEGER,               -- NULL: not yet available / not in layout
    n_ordered_est   BOOLEAN,
    n_delivered     INTEGER,
    n_delivered_est BOOLEAN,
    delivery_years  VARCHAR,               -- as listed, '2018; 2019'
    delivery_years_est BOOLEAN,
    status          VARCHAR,               -- New / Second hand / Second hand but modernized
    second_hand     BOOLEAN NOT NULL,
    local_production BOOLEAN NOT NULL,     -- licensed production (flag or comment)
    licence_source  VARCHAR,               -- 'flag' or 'comment'
    comments        VARCHAR,
    tiv_unit        DOUBLE,
    tiv_unit_new    DOUBLE,                -- 'SIPRI estimate' (value if new) where given
    tiv_order       DOUBLE,
    tiv_delivered   DOUBLE,                -- NULL = no deliveries identified
    tiv_below_half  BOOLEAN NOT NULL,      -- '0' = 0 to 0.5 m TIV
    rejoined        BOOLEAN NOT NULL       -- record re-joined across a raw line break
);

CREATE TABLE IF NOT EXISTS delivery (
    deal_key    BIGINT NOT NULL,
    snapshot_id INTEGER NOT NULL,
    year        INTEGER NOT NULL,
    units       INTEGER,
    tiv         DOUBLE,
    year_est    BOOLEAN,
    units_est   BOOLEAN,
    allocation  VARCHAR NOT NULL          -- 'exact' (publisher rows); 'same_release' / 'prior_release' (an exact register's rows for the deal) or 'estimated' (split rule): store/allocation.py
);

CREATE TABLE IF NOT EXISTS tiv_total (
    entity_id   VARCHAR NOT NULL,          -- 'world' for the publisher's Total world row
    direction   VARCHAR NOT NULL,          -- 'import' / 'export'
    year        INTEGER NOT NULL,
    tiv         DOUBLE NOT NULL,
    below_half  BOOLEAN NOT NULL,
    snapshot_id INTEGER NOT NULL,
    src_line    INTEGER NOT NULL
);
"""

# SIPRI Arms Industry Database (Top 100): store/industry_ingest.py writes these.
TABLES += """
CREATE TABLE IF NOT EXISTS industry_company (  -- one identity per company, through renames
    company_id  VARCHAR NOT NULL,      -- slug of its newest name in the workbook
    name        VARCHAR NOT NULL,      -- newest name
    country_id  VARCHAR,               -- entity of the headquarters; NULL for 'Trans-European'
    country     VARCHAR,               -- headquarters as written (newest row)
    first_year  INTEGER NOT NULL,
    last_year   INTEGER NOT NULL,
    snapshot_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS industry_rank (     -- one row per company row of a yearly sheet
    snapshot_id     INTEGER NOT NULL,
    year            INTEGER NOT NULL,
    sheet           VARCHAR NOT NULL,
    src_row         INTEGER NOT NULL,
    company_id      VARCHAR NOT NULL,
    company         VARCHAR NOT NULL,  -- as written, parent in brackets for subsidiaries
    rank            INTEGER,           -- NULL for subsidiaries ('S'), not among the 100
    rank_prev       INTEGER,           -- previous-year rank as printed (SIPRI re-ranks)
    rank_prev_text  VARCHAR,           -- '-' (not ranked the year before), 'S'
    subsidiary      BOOLEAN NOT NULL,
    parent          VARCHAR,           -- the bracketed parent of a subsidiary, as written
    notes           VARCHAR,           -- footnote marks of the row, e.g. 'g'
    country_id      VARCHAR,
    country         VARCHAR,           -- as written
    arms_sales      DOUBLE,            -- US$ m, current prices; NULL = '. .'
    arms_sales_prev DOUBLE,            -- the previous year's, as printed on this sheet
    total_sales     DOUBLE,
    arms_share_pct  DOUBLE,            -- per cent, as printed
    arms_sales_const DOUBLE,           -- US$ m at const_base_year prices
    const_base_year INTEGER,
    unavailable     VARCHAR            -- fields printed as '. .'
);
CREATE TABLE IF NOT EXISTS industry_link (     -- renames (one identity) and acquisitions (two)
    snapshot_id INTEGER NOT NULL, company_id VARCHAR NOT NULL, other_id VARCHAR NOT NULL,
    other_name VARCHAR NOT NULL, year INTEGER NOT NULL, kind VARCHAR NOT NULL, evidence VARCHAR
);
CREATE TABLE IF NOT EXISTS industry_note (     -- each sheet's footnotes
    snapshot_id INTEGER NOT NULL, year INTEGER NOT NULL, mark VARCHAR NOT NULL, text VARCHAR NOT NULL
);
"""

# Per-release aggregates (store/aggregates.py fills them whenever a snapshot's deliveries change):
# what every trade analysis reads instead of summing delivery x deal rows per query.
TABLES += """
CREATE TABLE IF NOT EXISTS agg_flow (          -- deliveries by year x supplier x recipient x category
    snapshot_id INTEGER NOT NULL, year INTEGER NOT NULL, supplier_id VARCHAR NOT NULL,
    recipient_id VARCHAR NOT NULL, category VARCHAR NOT NULL,
    tiv DOUBLE NOT NULL,                      -- delivered TIV (rows with a TIV)
    estimated_tiv DOUBLE,                     -- on the estimated per-year split; NULL: no such row
    second_hand_tiv DOUBLE NOT NULL,
    licensed_tiv DOUBLE NOT NULL,             -- licensed production ("under licence" comments)
    local_production_tiv DOUBLE NOT NULL,     -- local production (flag, or licence/assembly comments)
    flagged_tiv DOUBLE NOT NULL,              -- deal.local_production
    any_flagged BOOLEAN NOT NULL, any_second_hand BOOLEAN NOT NULL,
    deal_keys BIGINT[] NOT NULL               -- distinct deals: counts over years are not additive
);
CREATE TABLE IF NOT EXISTS agg_total (         -- per entity, direction and year; entity 'world' = all rows
    snapshot_id INTEGER NOT NULL, direction VARCHAR NOT NULL, entity_id VARCHAR NOT NULL,
    year INTEGER NOT NULL, tiv DOUBLE NOT NULL, estimated_tiv DOUBLE
);
CREATE TABLE IF NOT EXISTS agg_order (         -- the order pipeline: one row per open order
    snapshot_id INTEGER NOT NULL, deal_key BIGINT NOT NULL, sipri_id BIGINT,
    supplier_id VARCHAR NOT NULL, recipient_id VARCHAR NOT NULL, designation VARCHAR,
    description VARCHAR, category VARCHAR NOT NULL, order_year INTEGER, order_year_est BOOLEAN,
    n_ordered INTEGER, n_ordered_est BOOLEAN, n_delivered INTEGER, n_delivered_est BOOLEAN,
    outstanding_units INTEGER, tiv_unit DOUBLE, tiv_order DOUBLE,
    unit_value DOUBLE,                        -- tiv_order / n_ordered where both > 0, else tiv_unit
    last_delivery_year INTEGER, second_hand BOOLEAN NOT NULL, local_production BOOLEAN NOT NULL,
    comments VARCHAR, src_line INTEGER NOT NULL,
    pending BOOLEAN NOT NULL                  -- false: size unknown with deliveries (counted, not listed)
);
CREATE TABLE IF NOT EXISTS agg_state (         -- what each snapshot's aggregates were built from
    snapshot_id INTEGER PRIMARY KEY, fingerprint VARCHAR NOT NULL
);
"""

SPENDING_TABLES = """
CREATE TABLE IF NOT EXISTS milex (
    entity_id   VARCHAR NOT NULL,
    year        INTEGER NOT NULL,
    measure     VARCHAR NOT NULL,   -- constant_usd, current_usd, share_gdp, per_capita, share_govt,
                                    -- local_currency_fy, local_currency_cy
    value       DOUBLE,             -- NULL unless status is reported/estimate/uncertain
    status      VARCHAR NOT NULL,   -- reported | estimate (blue) | uncertain (red) | missing (...)
                                    -- | did_not_exist (xxx)
    flags       VARCHAR,            -- the row's Notes cell: footnote symbols + number, e.g. '§‖19'
    base_year   INTEGER,            -- constant_usd only: price base read from the sheet name
    unit        VARCHAR NOT NULL,   -- shares are fractions (0.05 = 5 %), US$ in millions
    period_note VARCHAR,            -- fiscal-year / reporting-year column where the sheet has one
    name        VARCHAR NOT NULL,   -- as spelled in the workbook
    snapshot_id INTEGER NOT NULL,
    src_row     INTEGER NOT NULL    -- 1-based row in the sheet named by measure
);
CREATE TABLE IF NOT EXISTS milex_region (    -- SIPRI's regional totals (incl. its estimates)
    region      VARCHAR NOT NULL,   -- as the workbook names it: 'Middle East', 'sub-Saharan Africa'
    parent      VARCHAR,            -- a subregion's region; NULL for regions and 'World'
    year        INTEGER NOT NULL,
    measure     VARCHAR NOT NULL,   -- constant_usd (base_year prices) | current_usd (its last year)
    value       DOUBLE NOT NULL,    -- US$ m
    status      VARCHAR NOT NULL,   -- reported | uncertain (red: over 10% estimates for missing data)
    base_year   INTEGER,
    src_row     INTEGER NOT NULL,
    snapshot_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS milex_member (    -- each country's region and subregion in the workbook
    entity_id VARCHAR NOT NULL, region VARCHAR, subregion VARCHAR, snapshot_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS indicator (
    entity_id VARCHAR NOT NULL, year INTEGER NOT NULL, code VARCHAR NOT NULL,
    value DOUBLE NOT NULL,          -- publisher's unit (e.g. % of GDP for MS.MIL.XPND.GD.ZS)
    snapshot_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS indicator_aggregate (  -- regions, income groups, World: never countries
    wb_code VARCHAR NOT NULL, name VARCHAR NOT NULL, year INTEGER NOT NULL, code VARCHAR NOT NULL,
    value DOUBLE NOT NULL, snapshot_id INTEGER NOT NULL
);
"""

WORLD_ID = "world"

# version -> SQL that brings a store of that version to the next one
MIGRATIONS = {
    2: "ALTER TABLE snapshot ADD COLUMN IF NOT EXISTS content_sha256 VARCHAR; "
    "ALTER TABLE snapshot ADD COLUMN IF NOT EXISTS publisher_stamp VARCHAR",
    # 3 -> 4: the agg_* tables (created with the schema), then filled by db._migrate
    3: "SELECT 1",
}
