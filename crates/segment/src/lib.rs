//! unspun-segment: Normalisation, sentence segmentation and tokenisation with byte offsets, built for news
