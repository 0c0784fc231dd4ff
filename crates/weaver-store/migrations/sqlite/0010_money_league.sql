-- Weaver register, migration 0010: money carries a currency, exchange rates
-- are data, and a campaign's league table can be published.
--
-- observations.currency: the ISO 4217 code of a monetary observation (its
-- indicator's unit is `money`, `money thousand|million|billion`, or ends in
-- `per money` with an optional scale: weaver_core::money); none otherwise.
ALTER TABLE observations ADD COLUMN currency TEXT;
-- exchange_rates: units of a currency per 1 EUR, yearly average, typed in
-- from a cited public source (the demo's: ECB euro foreign exchange
-- reference rates, annual averages). Readable like indicators; admins write.
-- (row_id names a row in the API's row routes, as in every table keyed by
-- its columns; the key is (currency, year).)
CREATE TABLE exchange_rates (
    row_id INTEGER PRIMARY KEY AUTOINCREMENT,
    currency TEXT NOT NULL,
    year INTEGER NOT NULL,
    per_eur REAL NOT NULL,
    source TEXT NOT NULL,
    visibility TEXT NOT NULL,
    UNIQUE (currency, year)
);
-- campaigns.published_at: when the campaign's frozen league table was made
-- public (none: not published).
ALTER TABLE campaigns ADD COLUMN published_at TEXT;
-- Existing monetary observations without a currency take their cluster's
-- country's currency (weaver_core::money::country_currency): CN -> CNY;
-- the euro area (AT BE CY DE EE ES FI FR GR HR IE IT LT LU LV MT NL PT SI
-- SK) -> EUR; GB -> GBP; US -> USD; JP -> JPY; a few others as in that map.
-- A cluster without a country, or of a country not in the map, leaves the
-- currency empty (its money is then "not convertible" in a league table).
-- Monetary units are matched in their canonical spelling (lower case,
-- single spaces).
UPDATE observations SET currency = (
    SELECT CASE UPPER(c.country)
        WHEN 'CN' THEN 'CNY'
        WHEN 'AT' THEN 'EUR' WHEN 'BE' THEN 'EUR' WHEN 'CY' THEN 'EUR'
        WHEN 'DE' THEN 'EUR' WHEN 'EE' THEN 'EUR' WHEN 'ES' THEN 'EUR'
        WHEN 'FI' THEN 'EUR' WHEN 'FR' THEN 'EUR' WHEN 'GR' THEN 'EUR'
        WHEN 'HR' THEN 'EUR' WHEN 'IE' THEN 'EUR' WHEN 'IT' THEN 'EUR'
        WHEN 'LT' THEN 'EUR' WHEN 'LU' THEN 'EUR' WHEN 'LV' THEN 'EUR'
        WHEN 'MT' THEN 'EUR' WHEN 'NL' THEN 'EUR' WHEN 'PT' THEN 'EUR'
        WHEN 'SI' THEN 'EUR' WHEN 'SK' THEN 'EUR'
        WHEN 'GB' THEN 'GBP' WHEN 'UK' THEN 'GBP'
        WHEN 'US' THEN 'USD' WHEN 'JP' THEN 'JPY'
        WHEN 'CH' THEN 'CHF' WHEN 'KR' THEN 'KRW' WHEN 'HK' THEN 'HKD'
        WHEN 'TW' THEN 'TWD' WHEN 'SE' THEN 'SEK' WHEN 'DK' THEN 'DKK'
        WHEN 'NO' THEN 'NOK' WHEN 'PL' THEN 'PLN' WHEN 'CZ' THEN 'CZK'
        WHEN 'HU' THEN 'HUF' WHEN 'IN' THEN 'INR' WHEN 'SG' THEN 'SGD'
        WHEN 'CA' THEN 'CAD' WHEN 'AU' THEN 'AUD'
        ELSE NULL END
    FROM clusters c WHERE c.id = observations.cluster
)
WHERE currency IS NULL AND indicator IN (
    SELECT id FROM indicators WHERE
        LOWER(TRIM(unit)) IN ('money', 'money thousand', 'money million', 'money billion')
        OR LOWER(TRIM(unit)) LIKE '% per money'
        OR LOWER(TRIM(unit)) LIKE '% per money thousand'
        OR LOWER(TRIM(unit)) LIKE '% per money million'
        OR LOWER(TRIM(unit)) LIKE '% per money billion'
);
