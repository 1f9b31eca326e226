/* The reference client of bench/eval-scale.sh: a bare libcurl multi loop that sends the same chat-completion
 * requests promptctl sends (one JSON body per line of BODIES), CONCURRENCY at a time, to the same stub, and
 * does nothing else with the answers but count them. It is the floor promptctl's wall time is compared with.
 *
 *   cc -O2 -o curl-multi curl-multi.c -lcurl
 *   curl-multi URL BODIES CONCURRENCY      prints {"requests": N, "ok": N, "seconds": S}
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct { char *body; size_t length; } Body;

static size_t discard(char *data, size_t size, size_t count, void *user) {
    (void)data; (void)user;
    return size * count;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: curl-multi URL BODIES CONCURRENCY\n"); return 2; }
    const char *url = argv[1];
    int concurrency = atoi(argv[3]);
    FILE *file = fopen(argv[2], "r");
    if (!file) { perror(argv[2]); return 2; }
    size_t capacity = 1024, count = 0;
    Body *bodies = malloc(capacity * sizeof(Body));
    char *line = NULL;
    size_t size = 0;
    ssize_t read;
    while ((read = getline(&line, &size, file)) > 0) {
        if (line[read - 1] == '\n') line[--read] = 0;
        if (read == 0) continue;
        if (count == capacity) { capacity *= 2; bodies = realloc(bodies, capacity * sizeof(Body)); }
        bodies[count].body = strdup(line);
        bodies[count].length = (size_t)read;
        count++;
    }
    fclose(file);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURLM *multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, (long)concurrency);
    struct curl_slist *headers = NULL;
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Authorization: Bearer unused");
    size_t next = 0, done = 0, ok = 0;
    int running = 0;
    double start = now();
    for (; next < count && (int)next < concurrency; next++) {
        CURL *easy = curl_easy_init();
        curl_easy_setopt(easy, CURLOPT_URL, url);
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, bodies[next].body);
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, (long)bodies[next].length);
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
        curl_multi_add_handle(multi, easy);
    }
    while (done < count) {
        curl_multi_perform(multi, &running);
        CURLMsg *message;
        int left;
        while ((message = curl_multi_info_read(multi, &left))) {
            if (message->msg != CURLMSG_DONE) continue;
            CURL *easy = message->easy_handle;
            long status = 0;
            curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
            if (message->data.result == CURLE_OK && status == 200) ok++;
            done++;
            curl_multi_remove_handle(multi, easy);
            if (next < count) {
                /* Reuse the handle (and its connection) for the next request at once. */
                curl_easy_setopt(easy, CURLOPT_POSTFIELDS, bodies[next].body);
                curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, (long)bodies[next].length);
                curl_multi_add_handle(multi, easy);
                next++;
            } else {
                curl_easy_cleanup(easy);
            }
        }
        if (done < count) curl_multi_poll(multi, NULL, 0, 1000, NULL);
    }
    double seconds = now() - start;
    printf("{\"requests\": %zu, \"ok\": %zu, \"seconds\": %.4f}\n", count, ok, seconds);
    curl_multi_cleanup(multi);
    curl_slist_free_all(headers);
    curl_global_cleanup();
    return ok == count ? 0 : 1;
}
