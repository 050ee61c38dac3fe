//! Following the shipped default templates: a practice that never edited a template
//! moves to a newer default by itself; one that edited keeps its own and is offered the
//! newer default to compare and adopt (or to keep its own, once it has looked).

/// What to do with one template when this build ships default revision `shipped`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultFollow {
    /// Nothing newer than what the practice has seen.
    Current,
    /// The practice uses the default as shipped: store the newer one in its place.
    Follow,
    /// The practice uses its own edit: offer the newer default, change nothing.
    Offer,
}

/// `edited`: the template in use is the practice's own edit (not a shipped default).
/// `based_on`: the newest default revision the practice had when it was saved (or when
/// it last chose to keep its own).
pub fn follow_default(edited: bool, based_on: u32, shipped: u32) -> DefaultFollow {
    if based_on >= shipped {
        DefaultFollow::Current
    } else if edited {
        DefaultFollow::Offer
    } else {
        DefaultFollow::Follow
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_untouched_template_follows_and_an_edited_one_is_only_offered() {
        assert_eq!(follow_default(false, 1, 2), DefaultFollow::Follow);
        assert_eq!(follow_default(true, 1, 2), DefaultFollow::Offer);
        // Once seen (kept, adopted or saved against it), nothing more is offered.
        assert_eq!(follow_default(true, 2, 2), DefaultFollow::Current);
        assert_eq!(follow_default(false, 2, 2), DefaultFollow::Current);
        // A vault written by a newer build is never taken back to an older default.
        assert_eq!(follow_default(false, 3, 2), DefaultFollow::Current);
    }
}
