//! Counting all the hits of a query by language, source, document type and year, with a
//! tantivy terms aggregation over each field's fast column, in the same pass that ranks them.

use serde::Serialize;
use serde::ser::SerializeMap;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::agg_result::{AggregationResult, AggregationResults, BucketResult};
use tantivy::aggregation::{AggContextParams, AggregationCollector, Key};

use super::schema;

/// The key of hits whose document has no value for a facet.
pub const UNKNOWN: &str = "(unknown)";
/// The key of hits whose document has no date.
pub const UNDATED: &str = "(undated)";
/// The key that sums the values past the largest [`MAX_VALUES`].
pub const OTHER: &str = "(other)";
/// Values listed per facet; the rest are summed under [`OTHER`].
const MAX_VALUES: u32 = 1000;

/// Hit counts of one facet, largest first (years: oldest first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts(pub Vec<(String, u64)>);

impl Serialize for Counts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // An object keeps `jq .facets.lang.de` simple; the order is the printed one.
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, count) in &self.0 {
            map.serialize_entry(key, count)?;
        }
        map.end()
    }
}

/// Counts of every hit of a query (not just the page shown).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    pub lang: Counts,
    pub site: Counts,
    #[serde(rename = "type")]
    pub doc_type: Counts,
    pub year: Counts,
}

/// The facets as JSON keys and the fields they count.
const FACETS: [(&str, &str, &str); 4] = [
    ("lang", schema::LANG, UNKNOWN),
    ("site", schema::SITE_FACET, UNKNOWN),
    ("type", schema::DOC_TYPE, UNKNOWN),
    ("year", schema::YEAR, UNDATED),
];

/// The aggregation collector counting [`Facets`].
pub fn collector() -> tantivy::Result<AggregationCollector> {
    let mut request = serde_json::Map::new();
    for (name, field, missing) in FACETS {
        request.insert(
            name.to_string(),
            serde_json::json!({
                "terms": {
                    "field": field,
                    "size": MAX_VALUES,
                    // Each segment reports all its values, so the counts are exact.
                    "segment_size": MAX_VALUES * 10,
                    "missing": missing,
                }
            }),
        );
    }
    let aggregations: Aggregations = serde_json::from_value(request.into())
        .map_err(|err| tantivy::TantivyError::InvalidArgument(err.to_string()))?;
    Ok(AggregationCollector::from_aggs(
        aggregations,
        AggContextParams::default(),
    ))
}

/// Reads the [`Facets`] out of the aggregation results.
pub fn from_results(results: &AggregationResults) -> Facets {
    let counts = |name: &str| -> Counts {
        let mut out = Vec::new();
        if let Some(AggregationResult::BucketResult(BucketResult::Terms {
            buckets,
            sum_other_doc_count,
            ..
        })) = results.0.get(name)
        {
            for bucket in buckets {
                let key = match &bucket.key {
                    Key::Str(s) => s.clone(),
                    Key::I64(n) => n.to_string(),
                    Key::U64(n) => n.to_string(),
                    Key::F64(n) => n.to_string(),
                };
                out.push((key, bucket.doc_count));
            }
            out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            if *sum_other_doc_count > 0 {
                out.push((OTHER.to_string(), *sum_other_doc_count));
            }
        }
        Counts(out)
    };
    let mut year = counts("year");
    // A time line reads oldest to newest; the undated close it.
    year.0
        .sort_by(|a, b| (a.0 == UNDATED, &a.0).cmp(&(b.0 == UNDATED, &b.0)));
    Facets {
        lang: counts("lang"),
        site: counts("site"),
        doc_type: counts("type"),
        year,
    }
}
