//! wilint's own YAML tree, built from saphyr-parser's events.
//!
//! saphyr's `MarkedYaml` keeps each mapping in a linked hash map (one allocation per entry)
//! and three-field markers at both ends of every node. Rules only ever look keys up in small
//! mappings and need character positions, so this tree stores a mapping as a slice of entries
//! allocated once, at its exact length, when the mapping closes (children wait on two shared
//! stacks until then), and a span as two character indices: a node is 32 bytes, a fraction of
//! saphyr's, and a collection costs one allocation, which is most of a run's time. Scalars are
//! resolved exactly as saphyr does (`saphyr::Scalar`, YAML 1.2 core schema), so values read
//! the same.

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use saphyr::Scalar;
use saphyr_parser::{Event, ScalarStyle, Tag};

/// Limits that keep hostile input (YAML bombs, absurd nesting) from exhausting memory or the
/// stack. Both are far above anything a real manifest needs.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Maximum nesting of mappings and sequences in one document.
    pub max_depth: usize,
    /// Maximum number of nodes that alias expansion may produce in one document.
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 256,
            max_alias_nodes: 100_000,
        }
    }
}

/// A node and where it is: character indices into the loaded text. A collection ends where
/// its closing event starts (as in saphyr).
#[derive(Debug, Clone)]
pub struct Node<'a> {
    start: u32,
    end: u32,
    pub data: Data<'a>,
}

impl<'a> Node<'a> {
    fn new(start: usize, end: usize, data: Data<'a>) -> Self {
        Node {
            start: char_index(start),
            end: char_index(end),
            data,
        }
    }

    /// The character index where the node starts.
    pub fn start(&self) -> usize {
        self.start as usize
    }

    /// The character index where the node ends.
    pub fn end(&self) -> usize {
        self.end as usize
    }

    /// The node and its children owning their text, every position passed through
    /// `position`: a tree parsed from a repaired copy of a text (see [`crate::kubectl_yaml`])
    /// outlives the copy, with the positions of the original.
    pub fn into_owned_at(self, position: &dyn Fn(usize) -> usize) -> Node<'static> {
        let data = match self.data {
            Data::Scalar(scalar) => Data::Scalar(match scalar {
                Scalar::Null => Scalar::Null,
                Scalar::Boolean(b) => Scalar::Boolean(b),
                Scalar::Integer(i) => Scalar::Integer(i),
                Scalar::FloatingPoint(f) => Scalar::FloatingPoint(f),
                Scalar::String(s) => Scalar::String(Cow::Owned(s.into_owned())),
            }),
            Data::Mapping(entries) => Data::Mapping(
                entries
                    .into_vec()
                    .into_iter()
                    .map(|(k, v)| (k.into_owned_at(position), v.into_owned_at(position)))
                    .collect(),
            ),
            Data::Sequence(items) => Data::Sequence(
                items
                    .into_vec()
                    .into_iter()
                    .map(|n| n.into_owned_at(position))
                    .collect(),
            ),
            Data::Tagged(tagged) => {
                let (tag, node) = *tagged;
                Data::Tagged(Box::new((
                    Cow::Owned(tag.into_owned()),
                    node.into_owned_at(position),
                )))
            }
            Data::Bad => Data::Bad,
        };
        Node {
            start: char_index(position(self.start as usize)),
            end: char_index(position(self.end as usize)),
            data,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Data<'a> {
    Scalar(Scalar<'a>),
    /// Collections are boxed slices of exactly their length, built once when they close: a node
    /// is 32 bytes and no collection carries spare capacity.
    Mapping(Box<[(Node<'a>, Node<'a>)]>),
    Sequence(Box<[Node<'a>]>),
    /// A node with a tag outside the YAML core schema (`!Ref x`), boxed: tags are rare and
    /// this keeps every other node small.
    Tagged(Box<(Cow<'a, Tag>, Node<'a>)>),
    /// A value that could not be read: a core tag that does not fit (`!!int abc`), an empty
    /// document, an alias over the budget.
    Bad,
}

/// A character index as stored: documents over 4 Gi characters are refused long before
/// (`--max-file-size`).
fn char_index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// Valid YAML, but no Kubernetes object (the WI000 says why).
pub const DUPLICATE_KEY: &str = "duplicated key in mapping";

/// Why building the tree stopped, at a character index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeError {
    pub char_index: usize,
    pub message: Cow<'static, str>,
}

impl TreeError {
    fn at(char_index: usize, message: impl Into<Cow<'static, str>>) -> Self {
        TreeError {
            char_index,
            message: message.into(),
        }
    }
}

const COLLECTION_KEY: &str =
    "a mapping or sequence is used as a mapping key, which Kubernetes cannot decode";

/// A collection being built, with what its parent needs to finish it. Its children wait on the
/// builder's shared stacks from `first` on.
struct Open<'a> {
    start: usize,
    is_mapping: bool,
    first: usize,
    anchor: usize,
    tag: Option<Cow<'a, Tag>>,
    /// A mapping's key waiting for its value.
    key: Option<Node<'a>>,
    /// Hashes of a large mapping's scalar keys, to find duplicates without quadratic work.
    seen: Option<HashMap<u64, Vec<usize>>>,
}

/// Builds documents from events.
pub struct Builder<'a> {
    open: Vec<Open<'a>>,
    /// The finished entries and items of every open mapping and sequence, innermost last.
    entries: Vec<(Node<'a>, Node<'a>)>,
    items: Vec<Node<'a>>,
    /// Deeper nesting is refused before its tree (whose drop is recursive) is built.
    max_depth: usize,
    anchors: HashMap<usize, Node<'a>>,
    /// Nodes that alias expansion may still produce.
    alias_budget: usize,
    /// The root of the document being read, until its end.
    pending_root: Option<Node<'a>>,
    /// The loaded text: scalars that appear verbatim in it borrow from it instead of keeping
    /// the parser's copy.
    source: &'a str,
    /// Whether character and byte indices agree (ASCII text).
    ascii: bool,
    /// In non-ASCII text, the last character index mapped to a byte index, and that byte
    /// index: scalars come in text order, so mapping them walks the text once.
    cursor: (usize, usize),
    pub documents: Vec<Node<'a>>,
    pub error: Option<TreeError>,
}

/// Mappings up to this size find duplicate keys by comparing; larger ones hash.
const LINEAR_KEYS: usize = 16;

impl<'a> Builder<'a> {
    pub fn new(limits: Limits, source: &'a str) -> Self {
        Builder {
            source,
            ascii: source.is_ascii(),
            cursor: (0, 0),
            open: Vec::new(),
            entries: Vec::new(),
            items: Vec::new(),
            max_depth: limits.max_depth,
            anchors: HashMap::new(),
            alias_budget: limits.max_alias_nodes,
            pending_root: None,
            documents: Vec::new(),
            error: None,
        }
    }

    pub fn on_event(&mut self, event: Event<'a>, start: usize, end: usize) {
        if self.error.is_some() {
            return;
        }
        let result = match event {
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentStart(_) => {
                Ok(())
            }
            Event::DocumentEnd => {
                if self.open.is_empty() && self.pending_root.is_none() {
                    // An empty document, as saphyr gives it.
                    self.documents.push(Node::new(start, end, Data::Bad));
                } else if let Some(root) = self.pending_root.take() {
                    self.documents.push(root);
                }
                Ok(())
            }
            Event::MappingStart(anchor, tag) => self.open_collection(true, anchor, tag, start),
            Event::SequenceStart(anchor, tag) => self.open_collection(false, anchor, tag, start),
            Event::MappingEnd | Event::SequenceEnd => match self.open.pop() {
                Some(Open {
                    start: node_start,
                    is_mapping,
                    first,
                    anchor,
                    tag,
                    ..
                }) => {
                    let data = if is_mapping {
                        Data::Mapping(self.entries.drain(first..).collect())
                    } else {
                        Data::Sequence(self.items.drain(first..).collect())
                    };
                    let mut node = Node::new(node_start, start, data);
                    if let Some(tag) = tag.filter(|t| !t.is_yaml_core_schema()) {
                        let (start, end) = (node.start(), node.end());
                        node = Node::new(start, end, Data::Tagged(Box::new((tag, node))));
                    }
                    self.insert(node, anchor)
                }
                None => Ok(()),
            },
            Event::Scalar(value, style, anchor, tag) => {
                let value = self.borrow_from_source(value, style, start, end);
                let node = Node::new(start, end, scalar(value, style, tag, start, end));
                self.insert(node, anchor)
            }
            Event::Alias(id) => {
                let node = self.resolve_alias(id, start, end);
                // An alias of a collection used as a key is a collection key too.
                if self.expects_key() && is_collection(&node) {
                    Err(TreeError::at(start, COLLECTION_KEY))
                } else {
                    self.insert(node, 0)
                }
            }
        };
        if let Err(error) = result {
            self.error = Some(error);
        }
    }

    /// The parser copies every scalar; a plain or quoted one that is written verbatim in the
    /// source (no escapes, no folding) borrows from the source instead, which is most of a
    /// tree's memory.
    fn borrow_from_source(
        &mut self,
        value: Cow<'a, str>,
        style: ScalarStyle,
        start: usize,
        end: usize,
    ) -> Cow<'a, str> {
        let (start, end) = match style {
            ScalarStyle::Plain => (start, end),
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted if end >= start + 2 => {
                (start + 1, end - 1)
            }
            _ => return value,
        };
        let (Some(start), Some(end)) = (self.byte_index(start), self.byte_index(end)) else {
            return value;
        };
        match self.source.get(start..end) {
            Some(written) if written == value.as_ref() => Cow::Borrowed(written),
            _ => value,
        }
    }

    /// The byte index of a character index of the source. In non-ASCII text this walks
    /// forward from the previous answer; an index before it (never, for scalars in text
    /// order) is left unmapped.
    fn byte_index(&mut self, char_index: usize) -> Option<usize> {
        if self.ascii {
            return Some(char_index);
        }
        let (mut chars, mut bytes) = self.cursor;
        if char_index < chars {
            return None;
        }
        let mut rest = self.source.get(bytes..)?.chars();
        while chars < char_index {
            bytes += rest.next()?.len_utf8();
            chars += 1;
        }
        self.cursor = (chars, bytes);
        Some(bytes)
    }

    fn open_collection(
        &mut self,
        is_mapping: bool,
        anchor: usize,
        tag: Option<Cow<'a, Tag>>,
        start: usize,
    ) -> Result<(), TreeError> {
        if self.open.len() >= self.max_depth {
            return Err(TreeError::at(
                start,
                format!(
                    "nesting deeper than {} levels; refusing to load (YAML bomb?)",
                    self.max_depth
                ),
            ));
        }
        // `{{ .Values.x }}` parses as exactly this: a mapping used as a key.
        if self.expects_key() {
            return Err(TreeError::at(start, COLLECTION_KEY));
        }
        self.open.push(Open {
            start,
            is_mapping,
            first: if is_mapping {
                self.entries.len()
            } else {
                self.items.len()
            },
            anchor,
            tag,
            key: None,
            seen: None,
        });
        Ok(())
    }

    /// Whether the next node is a key of the innermost open mapping.
    fn expects_key(&self) -> bool {
        self.open
            .last()
            .is_some_and(|open| open.is_mapping && open.key.is_none())
    }

    /// Adds a finished node to the innermost open collection (or makes it the root).
    fn insert(&mut self, node: Node<'a>, anchor: usize) -> Result<(), TreeError> {
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        let Some(parent) = self.open.last_mut() else {
            self.pending_root = Some(node);
            return Ok(());
        };
        if !parent.is_mapping {
            self.items.push(node);
            return Ok(());
        }
        match parent.key.take() {
            None => parent.key = Some(node),
            Some(key) => {
                if is_duplicate(&self.entries[parent.first..], &mut parent.seen, &key) {
                    return Err(TreeError::at(key.start(), DUPLICATE_KEY));
                }
                self.entries.push((key, node));
            }
        }
        Ok(())
    }

    /// A copy of the anchored node, within the alias budget (billion laughs).
    fn resolve_alias(&mut self, id: usize, start: usize, end: usize) -> Node<'a> {
        let bad = Node::new(start, end, Data::Bad);
        let Some(anchored) = self.anchors.get(&id) else {
            return bad;
        };
        let mut remaining = self.alias_budget;
        if !fits_budget(anchored, &mut remaining) {
            self.error = Some(TreeError::at(
                start,
                "alias expansion exceeded the maximum node budget (possible billion-laughs attack)",
            ));
            return bad;
        }
        self.alias_budget = remaining;
        let mut copy = anchored.clone();
        copy.start = char_index(start);
        copy.end = char_index(end);
        copy
    }
}

/// Whether `key` repeats a key of the mapping: scalar keys compare by value, as saphyr's
/// mapping does; large mappings keep hashes so that this stays linear.
fn is_duplicate(
    entries: &[(Node<'_>, Node<'_>)],
    seen: &mut Option<HashMap<u64, Vec<usize>>>,
    key: &Node<'_>,
) -> bool {
    let Data::Scalar(value) = &key.data else {
        return false; // Collection keys are rejected before; tagged keys are rare.
    };
    let same = |i: usize| matches!(&entries[i].0.data, Data::Scalar(other) if other == value);
    if entries.len() < LINEAR_KEYS {
        return (0..entries.len()).any(same);
    }
    let seen = seen.get_or_insert_with(|| {
        let mut hashes: HashMap<u64, Vec<usize>> = HashMap::new();
        for (i, (k, _)) in entries.iter().enumerate() {
            if let Data::Scalar(s) = &k.data {
                hashes.entry(hash_of(s)).or_default().push(i);
            }
        }
        hashes
    });
    let bucket = seen.entry(hash_of(value)).or_default();
    if bucket.iter().any(|&i| same(i)) {
        return true;
    }
    bucket.push(entries.len());
    false
}

fn is_collection(node: &Node<'_>) -> bool {
    match &node.data {
        Data::Mapping(_) | Data::Sequence(_) => true,
        Data::Tagged(tagged) => is_collection(&tagged.1),
        Data::Scalar(_) | Data::Bad => false,
    }
}

/// Counts a node's size against the budget (a mapping entry's key counts as one node).
fn fits_budget(node: &Node<'_>, budget: &mut usize) -> bool {
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    match &node.data {
        Data::Sequence(items) => items.iter().all(|item| fits_budget(item, budget)),
        Data::Mapping(entries) => entries.iter().all(|(_, value)| {
            if *budget == 0 {
                return false;
            }
            *budget -= 1;
            fits_budget(value, budget)
        }),
        Data::Tagged(tagged) => fits_budget(&tagged.1, budget),
        Data::Scalar(_) | Data::Bad => true,
    }
}

fn hash_of(scalar: &Scalar<'_>) -> u64 {
    let mut hasher = DefaultHasher::new();
    scalar.hash(&mut hasher);
    hasher.finish()
}

/// A scalar's value, resolved as saphyr resolves it. A tagged scalar's inner node has the
/// span of the whole scalar.
fn scalar<'a>(
    value: Cow<'a, str>,
    style: ScalarStyle,
    tag: Option<Cow<'a, Tag>>,
    start: usize,
    end: usize,
) -> Data<'a> {
    match tag {
        Some(tag) if !tag.is_yaml_core_schema() => {
            let inner = Scalar::parse_from_cow_and_metadata(value, style, None)
                .map_or(Data::Bad, Data::Scalar);
            Data::Tagged(Box::new((tag, Node::new(start, end, inner))))
        }
        tag => Scalar::parse_from_cow_and_metadata(value, style, tag.as_ref())
            .map_or(Data::Bad, Data::Scalar),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Limits, load};

    #[test]
    fn duplicate_keys_are_found_in_small_and_large_mappings() {
        let small = "a: 1\nb: 2\na: 3\n";
        let error = load(small, Limits::default()).expect_err("duplicate");
        assert_eq!(
            (error.char_index, error.message.as_str()),
            (10, DUPLICATE_KEY)
        );
        let mut large = String::new();
        for i in 0..100 {
            large.push_str(&format!("k{i}: {i}\n"));
        }
        assert!(load(&large, Limits::default()).is_ok());
        large.push_str("k42: again\n");
        assert!(load(&large, Limits::default()).is_err());
        // Keys compare by value: the integer 1 and the string "1" differ.
        assert!(load("1: a\n\"1\": b\n", Limits::default()).is_ok());
    }

    #[test]
    fn scalars_borrow_from_ascii_sources_and_resolve_like_saphyr() {
        let roots = load(
            "a: plain\nb: \"quoted\"\nc: 'it''s'\nd: 3\n",
            Limits::default(),
        )
        .expect("loads");
        let Data::Mapping(entries) = &roots[0].data else {
            panic!("mapping");
        };
        let values: Vec<&Data<'_>> = entries.iter().map(|(_, v)| &v.data).collect();
        assert!(matches!(
            values[0],
            Data::Scalar(Scalar::String(Cow::Borrowed("plain")))
        ));
        assert!(matches!(
            values[1],
            Data::Scalar(Scalar::String(Cow::Borrowed("quoted")))
        ));
        // An escaped quote is not written verbatim: the parser's copy is kept.
        assert!(matches!(values[2], Data::Scalar(Scalar::String(Cow::Owned(s))) if s == "it's"));
        assert!(matches!(values[3], Data::Scalar(Scalar::Integer(3))));
    }

    #[test]
    fn scalars_borrow_from_non_ascii_sources_too() {
        let roots = load(
            "# commentaire élégant\nname: café\nnote: \"µs\"\nnext: 'it''s'\nlast: plain\n",
            Limits::default(),
        )
        .expect("loads");
        let Data::Mapping(entries) = &roots[0].data else {
            panic!("mapping");
        };
        let value = |i: usize| &entries[i].1.data;
        assert!(matches!(
            value(0),
            Data::Scalar(Scalar::String(Cow::Borrowed("café")))
        ));
        assert!(matches!(
            value(1),
            Data::Scalar(Scalar::String(Cow::Borrowed("µs")))
        ));
        assert!(matches!(value(2), Data::Scalar(Scalar::String(Cow::Owned(s))) if s == "it's"));
        assert!(matches!(
            value(3),
            Data::Scalar(Scalar::String(Cow::Borrowed("plain")))
        ));
        assert!(matches!(
            &entries[3].0.data,
            Data::Scalar(Scalar::String(Cow::Borrowed("last")))
        ));
    }

    #[test]
    fn nodes_stay_compact() {
        // Memory per node is what bounds a run's peak RSS; a wider variant would cost 25 %.
        assert_eq!(std::mem::size_of::<Node<'_>>(), 32);
    }

    #[test]
    fn nested_collections_take_their_own_children() {
        let roots = load(
            "a: [1, {b: [2, 3], c: 4}, 5]
d: {e: 6}
",
            Limits::default(),
        )
        .expect("loads");
        let Data::Mapping(top) = &roots[0].data else {
            panic!("mapping");
        };
        assert_eq!(top.len(), 2);
        let Data::Sequence(a) = &top[0].1.data else {
            panic!("sequence");
        };
        assert_eq!(a.len(), 3);
        let Data::Mapping(inner) = &a[1].data else {
            panic!("mapping");
        };
        assert!(matches!(&inner[0].1.data, Data::Sequence(items) if items.len() == 2));
        assert!(matches!(&top[1].1.data, Data::Mapping(e) if e.len() == 1));
    }

    #[test]
    fn aliases_are_copied_within_the_budget() {
        let text = "a: &x [1, 2, 3]\nb: *x\n";
        let roots = load(text, Limits::default()).expect("loads");
        let Data::Mapping(entries) = &roots[0].data else {
            panic!("mapping");
        };
        assert!(matches!(&entries[1].1.data, Data::Sequence(items) if items.len() == 3));
        // The copy is placed where the alias is written.
        assert_eq!(entries[1].1.start(), text.find('*').expect("alias"));
        let tight = Limits {
            max_alias_nodes: 3,
            ..Limits::default()
        };
        let error = load(text, tight).expect_err("over budget");
        assert!(error.message.contains("billion-laughs"));
    }

    #[test]
    fn tagged_nodes_keep_their_span() {
        let text = "a: !Ref name\n";
        let roots = load(text, Limits::default()).expect("loads");
        let Data::Mapping(entries) = &roots[0].data else {
            panic!("mapping");
        };
        let Data::Tagged(tagged) = &entries[0].1.data else {
            panic!("tagged");
        };
        assert_eq!(tagged.1.start(), 3);
        assert_eq!(crate::yaml::as_str(&entries[0].1), Some("name"));
    }
}
