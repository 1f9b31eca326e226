#ifndef PROMPTCTL_CCURL_SHIM_H
#define PROMPTCTL_CCURL_SHIM_H

#include <curl/curl.h>

// curl_easy_setopt and curl_multi_setopt are variadic macros-backed functions that Swift
// cannot call directly; these typed wrappers give Swift one entry point per argument kind.
static inline CURLcode promptctl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode promptctl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode promptctl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode promptctl_easy_setopt_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}
typedef size_t (*promptctl_write_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);
static inline CURLcode promptctl_easy_setopt_write_function(CURL *handle, CURLoption option, promptctl_write_callback fn) {
    return curl_easy_setopt(handle, option, fn);
}
static inline CURLcode promptctl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode promptctl_easy_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode promptctl_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLMcode promptctl_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}
#endif
