// libxml2's HTML parser, for the indexer's .html extractor: it parses real-world
// HTML (unclosed tags, stray entities) the way browsers recover from it.
#include <libxml/xmlversion.h>
// Debian builds libxml2 with ICU, whose headers clash with the ICU module that
// Foundation ships. Nothing here uses ICU-dependent declarations, so hide them.
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>

// xmlFree is a global function pointer variable; Swift 6 cannot prove a global
// variable safe to read from any thread, so call it through a function.
static inline void acsearch_xml_free(void *pointer) { xmlFree(pointer); }
