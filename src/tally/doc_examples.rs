//! docs/audit-format.md's worked examples of the close and the results,
//! recomputed from the document's own text: a change to the code or to the
//! document that makes them disagree fails here.

/// The fenced block of `docs/audit-format.md` whose info string is `tag`.
pub(crate) fn doc_block(tag: &str) -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/audit-format.md");
    let text = std::fs::read_to_string(path).expect("docs/audit-format.md");
    let start = text
        .find(&format!("```{tag}\n"))
        .unwrap_or_else(|| panic!("no ```{tag} block in docs/audit-format.md"))
        + tag.len()
        + 4;
    let end = start + text[start..].find("```").expect("the block ends");
    text[start..end].to_string()
}

/// `key = value` lines of a block.
fn value<'a>(block: &'a str, key: &str) -> &'a str {
    block
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{key} = ")))
        .unwrap_or_else(|| panic!("no {key} in the block"))
}

#[test]
fn the_documented_voted_commitment_is_recomputed() {
    let block = doc_block("voted-commitment");
    let salt: [u8; 32] = hex::decode(value(&block, "salt"))
        .unwrap()
        .try_into()
        .unwrap();
    let mut members: Vec<String> = value(&block, "members")
        .split(' ')
        .map(str::to_string)
        .collect();
    members.sort_unstable();
    assert_eq!(
        super::close::voted_commitment(&salt, &members),
        value(&block, "voted_commitment")
    );
}

#[test]
fn the_documented_results_digest_is_recomputed() {
    let block = doc_block("results-digest");
    let canonical = block.lines().next().unwrap();
    let results: super::Results = serde_json::from_str(canonical).unwrap();
    assert_eq!(
        results.canonical().unwrap(),
        canonical,
        "the example is not canonical"
    );
    assert_eq!(results.digest().unwrap(), value(&block, "results_digest"));
}
