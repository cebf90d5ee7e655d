# The abusive-content detector (text.h: fb_abuse_*, fb_text_mask): its sources,
# and the lexicons and model it compiles in. Sets FB_ABUSE_SOURCES for the library.
#
# Each list of data/lexicon becomes an array fb__lex_<list> (cmake/embed_words.cmake);
# libfeedback/abuse_lists.h (FB__LEX_LISTS) says what kind and category each list is.
set(FB_ABUSE_LEXICONS
  en_obscene_words en_obscene_roots en_insult_words en_insult_roots en_threat_words
  ru_obscene_words ru_obscene_roots ru_insult_words ru_insult_roots ru_threat_words
  exceptions exception_stems ru_prefixes)
set(FB_ABUSE_SOURCES
  libfeedback/abuse_scan.c
  libfeedback/abuse_lexicon.c
  libfeedback/abuse_detector.c
  libfeedback/abuse_mask.c
  libfeedback/abuse_weights.c)
foreach(list ${FB_ABUSE_LEXICONS})
  set(out ${PROJECT_BINARY_DIR}/generated/lexicon_${list}.c)
  fb_embed_words(OUTPUT ${out} NAME fb__lex_${list} INPUTS data/lexicon/${list}.txt)
  list(APPEND FB_ABUSE_SOURCES ${out})
endforeach()
