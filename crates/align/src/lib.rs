//! unspun-align: Sentence similarity and alignment of an article to a source; relation and direction per pair
