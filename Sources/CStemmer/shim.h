// Snowball stemmers from Debian's libstemmer-dev (no pkg-config file: the header and library are on the default paths).
#include <libstemmer.h>
