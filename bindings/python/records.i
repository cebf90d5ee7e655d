/*
 * Python: records cross as tuples of their 25 fields in the order of the CSV
 * columns (feedback/_record.py names them), with enumerations as codes,
 * times as milliseconds (None: unknown), answers as (metric, score or None
 * when skipped, name, scale_min, scale_max), tags as a tuple of str and
 * attributes as (key, value) pairs. Scores come from any sequence or
 * buffer of numbers (None and NaN: skipped).
 */
%{
#define FBB_PY_FIELDS 25

static PyObject *fbb_py_str(fb_str s)
{
    return PyUnicode_DecodeUTF8(s.ptr ? s.ptr : "", (Py_ssize_t)s.len, "surrogateescape");
}

static PyObject *fbb_py_time(fb_time t)
{
    if (t == FB_TIME_UNKNOWN)
        Py_RETURN_NONE;
    return PyLong_FromLongLong(t);
}

static PyObject *fbb_py_code(const char *code, size_t max)
{
    size_t n = 0;
    while (n < max && code[n])
        n++;
    return PyUnicode_FromStringAndSize(code, (Py_ssize_t)n);
}

static PyObject *fbb_py_answers(const fb_record *r)
{
    PyObject *t = PyTuple_New((Py_ssize_t)r->n_answers);
    size_t i;

    for (i = 0; t && i < r->n_answers; i++) {
        const fb_answer *a = &r->answers[i];
        PyObject *item;
        if (a->skipped)
            item = Py_BuildValue("(iONdd)", (int)a->metric, Py_None, fbb_py_str(a->name),
                                 a->scale_min, a->scale_max);
        else
            item = Py_BuildValue("(idNdd)", (int)a->metric, a->score, fbb_py_str(a->name),
                                 a->scale_min, a->scale_max);
        if (!item) {
            Py_DECREF(t);
            return NULL;
        }
        PyTuple_SET_ITEM(t, (Py_ssize_t)i, item);
    }
    return t;
}

static PyObject *fbb_py_tags(const fb_record *r)
{
    PyObject *t = PyTuple_New((Py_ssize_t)r->n_tags);
    size_t i;

    for (i = 0; t && i < r->n_tags; i++) {
        PyObject *s = fbb_py_str(r->tags[i]);
        if (!s) {
            Py_DECREF(t);
            return NULL;
        }
        PyTuple_SET_ITEM(t, (Py_ssize_t)i, s);
    }
    return t;
}

static PyObject *fbb_py_attrs(const fb_record *r)
{
    PyObject *t = PyTuple_New((Py_ssize_t)r->n_attrs);
    size_t i;

    for (i = 0; t && i < r->n_attrs; i++) {
        PyObject *pair = Py_BuildValue("(NN)", fbb_py_str(r->attrs[i].key),
                                       fbb_py_str(r->attrs[i].value));
        if (!pair) {
            Py_DECREF(t);
            return NULL;
        }
        PyTuple_SET_ITEM(t, (Py_ssize_t)i, pair);
    }
    return t;
}

/* The tuple of r's fields. */
static PyObject *fbb_py_record(const fb_record *r)
{
    return Py_BuildValue(
        "(KiNNNiNNiiNNNNNNNNLNNKiNi)", (unsigned long long)r->id, (int)r->kind,
        fbb_py_time(r->created_at), fbb_py_time(r->interaction_at), fbb_py_str(r->customer_id),
        (int)r->customer_status, PyBool_FromLong(r->customer_verified),
        PyBool_FromLong(r->win_back), (int)r->channel, (int)r->source, fbb_py_answers(r),
        fbb_py_str(r->text), fbb_py_str(r->language), fbb_py_tags(r), fbb_py_str(r->agent_id),
        fbb_py_str(r->ticket_id), fbb_py_str(r->product),
        fbb_py_code(r->country, sizeof r->country), (long long)r->tip,
        fbb_py_code(r->tip_currency, sizeof r->tip_currency), fbb_py_attrs(r),
        (unsigned long long)r->ref_id, (int)r->handling, fbb_py_str(r->assignee),
        (int)r->assignee_kind);
}

/* ---------------------------------------------------------------- Python to C */

static const char *const fbb_py_field_names[FBB_PY_FIELDS] = {
    "id", "kind", "created_at", "interaction_at", "customer_id", "customer_status",
    "customer_verified", "win_back", "channel", "source", "answers", "text", "language", "tags",
    "agent_id", "ticket_id", "product", "country", "tip", "tip_currency", "attributes", "ref_id",
    "handling", "assignee", "assignee_kind"};

static int fbb_py_bad(int field, const char *want)
{
    PyErr_Format(PyExc_TypeError, "record field %s: expected %s", fbb_py_field_names[field], want);
    return -1;
}

/* A str's UTF-8, borrowed from the object (alive as long as the record's tuple). */
static int fbb_py_to_str(PyObject *o, int field, fb_str *out)
{
    Py_ssize_t n;
    const char *p;

    if (!PyUnicode_Check(o))
        return fbb_py_bad(field, "a str");
    p = PyUnicode_AsUTF8AndSize(o, &n);
    if (!p)
        return -1;
    out->ptr = p;
    out->len = (size_t)n;
    return 0;
}

static int fbb_py_to_code(PyObject *o, int field, char *out, size_t size)
{
    fb_str s;

    if (fbb_py_to_str(o, field, &s) != 0)
        return -1;
    if (s.len >= size) {
        PyErr_Format(PyExc_ValueError, "record field %s: '%s' is longer than %d letters",
                     fbb_py_field_names[field], s.ptr, (int)size - 1);
        return -1;
    }
    memcpy(out, s.ptr, s.len);
    out[s.len] = '\0';
    return 0;
}

static int fbb_py_to_int(PyObject *o, int field, long long *out)
{
    if (!PyLong_Check(o))
        return fbb_py_bad(field, "an int");
    *out = PyLong_AsLongLong(o);
    return *out == -1 && PyErr_Occurred() ? -1 : 0;
}

static int fbb_py_to_u64(PyObject *o, int field, uint64_t *out)
{
    if (!PyLong_Check(o))
        return fbb_py_bad(field, "an int");
    *out = PyLong_AsUnsignedLongLong(o);
    return *out == (uint64_t)-1 && PyErr_Occurred() ? -1 : 0;
}

static int fbb_py_to_time(PyObject *o, int field, fb_time *out)
{
    long long v;

    if (o == Py_None) {
        *out = FB_TIME_UNKNOWN;
        return 0;
    }
    if (fbb_py_to_int(o, field, &v) != 0)
        return -1;
    *out = v;
    return 0;
}

static int fbb_py_to_answers(PyObject *o, fbb_record_buf *b)
{
    Py_ssize_t i, n;

    if (!PyTuple_Check(o))
        return fbb_py_bad(10, "a tuple of answers");
    n = PyTuple_GET_SIZE(o);
    if (n > FB_MAX_ANSWERS) {
        PyErr_Format(PyExc_ValueError, "record field answers: %zd answers, at most %d", n,
                     FB_MAX_ANSWERS);
        return -1;
    }
    for (i = 0; i < n; i++) {
        PyObject *a = PyTuple_GET_ITEM(o, i), *score;
        fb_answer *ans = &b->answers[i];
        int metric;
        if (!PyTuple_Check(a) || PyTuple_GET_SIZE(a) != 5)
            return fbb_py_bad(10, "(metric, score, name, scale_min, scale_max) tuples");
        metric = (int)PyLong_AsLong(PyTuple_GET_ITEM(a, 0));
        if (metric == -1 && PyErr_Occurred())
            return -1;
        memset(ans, 0, sizeof *ans);
        ans->metric = (fb_metric)metric;
        score = PyTuple_GET_ITEM(a, 1);
        ans->skipped = score == Py_None;
        ans->score = ans->skipped ? 0 : PyFloat_AsDouble(score);
        if (ans->score == -1.0 && PyErr_Occurred())
            return -1;
        if (fbb_py_to_str(PyTuple_GET_ITEM(a, 2), 10, &ans->name) != 0)
            return -1;
        ans->scale_min = PyFloat_AsDouble(PyTuple_GET_ITEM(a, 3));
        ans->scale_max = PyFloat_AsDouble(PyTuple_GET_ITEM(a, 4));
        if (PyErr_Occurred())
            return -1;
    }
    b->r.answers = b->answers;
    b->r.n_answers = (size_t)n;
    return 0;
}

static int fbb_py_to_tags(PyObject *o, fbb_record_buf *b)
{
    Py_ssize_t i, n;

    if (!PyTuple_Check(o))
        return fbb_py_bad(13, "a tuple of str");
    n = PyTuple_GET_SIZE(o);
    if (n > FB_MAX_TAGS) {
        PyErr_Format(PyExc_ValueError, "record field tags: %zd tags, at most %d", n, FB_MAX_TAGS);
        return -1;
    }
    for (i = 0; i < n; i++)
        if (fbb_py_to_str(PyTuple_GET_ITEM(o, i), 13, &b->tags[i]) != 0)
            return -1;
    b->r.tags = b->tags;
    b->r.n_tags = (size_t)n;
    return 0;
}

static int fbb_py_to_attrs(PyObject *o, fbb_record_buf *b)
{
    Py_ssize_t i, n;

    if (!PyTuple_Check(o))
        return fbb_py_bad(20, "a tuple of (key, value) pairs");
    n = PyTuple_GET_SIZE(o);
    if (n > FB_MAX_ATTRS) {
        PyErr_Format(PyExc_ValueError, "record field attributes: %zd attributes, at most %d", n,
                     FB_MAX_ATTRS);
        return -1;
    }
    for (i = 0; i < n; i++) {
        PyObject *pair = PyTuple_GET_ITEM(o, i);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2)
            return fbb_py_bad(20, "(key, value) pairs");
        if (fbb_py_to_str(PyTuple_GET_ITEM(pair, 0), 20, &b->attrs[i].key) != 0 ||
            fbb_py_to_str(PyTuple_GET_ITEM(pair, 1), 20, &b->attrs[i].value) != 0)
            return -1;
    }
    b->r.attrs = b->attrs;
    b->r.n_attrs = (size_t)n;
    return 0;
}

/* Fills b from the tuple o of a record's fields. 0, or -1 with a Python exception. */
static int fbb_py_to_record(PyObject *o, fbb_record_buf *b)
{
    PyObject *f[FBB_PY_FIELDS];
    long long v[FBB_PY_FIELDS];
    fb_record *r = &b->r;
    int i;

    if (!PyTuple_Check(o) || PyTuple_GET_SIZE(o) != FBB_PY_FIELDS) {
        PyErr_SetString(PyExc_TypeError, "expected a record's tuple of 25 fields");
        return -1;
    }
    for (i = 0; i < FBB_PY_FIELDS; i++)
        f[i] = PyTuple_GET_ITEM(o, i);
    fb_record_init(r);
    /* The enumerations and small numbers. */
    {
        static const int ints[] = {1, 5, 8, 9, 18, 22, 24};
        size_t k;
        for (k = 0; k < sizeof ints / sizeof ints[0]; k++)
            if (fbb_py_to_int(f[ints[k]], ints[k], &v[ints[k]]) != 0)
                return -1;
    }
    r->kind = (fb_record_kind)v[1];
    r->customer_status = (fb_customer_status)v[5];
    r->channel = (fb_channel)v[8];
    r->source = (fb_source)v[9];
    r->tip = v[18];
    r->handling = (fb_handling)v[22];
    r->assignee_kind = (fb_assignee_kind)v[24];
    r->customer_verified = PyObject_IsTrue(f[6]) == 1;
    r->win_back = PyObject_IsTrue(f[7]) == 1;
    if (fbb_py_to_u64(f[0], 0, &r->id) != 0 || fbb_py_to_u64(f[21], 21, &r->ref_id) != 0 ||
        fbb_py_to_time(f[2], 2, &r->created_at) != 0 ||
        fbb_py_to_time(f[3], 3, &r->interaction_at) != 0 ||
        fbb_py_to_str(f[4], 4, &r->customer_id) != 0 || fbb_py_to_answers(f[10], b) != 0 ||
        fbb_py_to_str(f[11], 11, &r->text) != 0 || fbb_py_to_str(f[12], 12, &r->language) != 0 ||
        fbb_py_to_tags(f[13], b) != 0 || fbb_py_to_str(f[14], 14, &r->agent_id) != 0 ||
        fbb_py_to_str(f[15], 15, &r->ticket_id) != 0 ||
        fbb_py_to_str(f[16], 16, &r->product) != 0 ||
        fbb_py_to_code(f[17], 17, r->country, sizeof r->country) != 0 ||
        fbb_py_to_code(f[19], 19, r->tip_currency, sizeof r->tip_currency) != 0 ||
        fbb_py_to_attrs(f[20], b) != 0 || fbb_py_to_str(f[23], 23, &r->assignee) != 0)
        return -1;
    return 0;
}

/* ---------------------------------------------------------------- scores */

/* The doubles of o: a buffer of doubles (numpy float64) borrowed, else a new array. */
typedef struct fbb_py_scores {
    bool has_view;
    Py_buffer view;
    double *owned;
} fbb_py_scores;

static int fbb_py_to_scores(PyObject *o, fbb_py_scores *s, const double **data, size_t *n)
{
    PyObject *seq;
    Py_ssize_t i, len;

    memset(s, 0, sizeof *s);
    if (PyObject_CheckBuffer(o) &&
        PyObject_GetBuffer(o, &s->view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) == 0) {
        if (s->view.format && strcmp(s->view.format, "d") == 0 && s->view.ndim <= 1) {
            s->has_view = true;
            *data = s->view.buf;
            *n = (size_t)(s->view.len / (Py_ssize_t)sizeof(double));
            return 0;
        }
        PyBuffer_Release(&s->view);
    }
    PyErr_Clear();
    seq = PySequence_Fast(o, "scores: expected a sequence of numbers");
    if (!seq)
        return -1;
    len = PySequence_Fast_GET_SIZE(seq);
    s->owned = malloc((size_t)(len ? len : 1) * sizeof(double));
    if (!s->owned) {
        Py_DECREF(seq);
        PyErr_NoMemory();
        return -1;
    }
    for (i = 0; i < len; i++) {
        PyObject *x = PySequence_Fast_GET_ITEM(seq, i);
        s->owned[i] = x == Py_None ? NAN : PyFloat_AsDouble(x);
        if (s->owned[i] == -1.0 && PyErr_Occurred()) {
            PyErr_Format(PyExc_TypeError, "scores[%zd]: expected a number or None", i);
            Py_DECREF(seq);
            return -1;
        }
    }
    Py_DECREF(seq);
    *data = s->owned;
    *n = (size_t)len;
    return 0;
}

static void fbb_py_scores_release(fbb_py_scores *s)
{
    if (s->has_view)
        PyBuffer_Release(&s->view);
    free(s->owned);
}
%}

%typemap(in, numinputs=0) const fb_record **rec (const fb_record *temp = NULL) {
    $1 = ($1_ltype)&temp;
}
%typemap(argout) const fb_record **rec {
    PyObject *o;
    if (*$1) {
        o = fbb_py_record(*$1);
        if (!o)
            SWIG_fail;
    } else {
        o = SWIG_Py_Void();
    }
    $result = SWIG_Python_AppendOutput($result, o);
}

%typemap(in) const fb_record *r (fbb_record_buf temp) {
    if (fbb_py_to_record($input, &temp) != 0)
        SWIG_fail;
    $1 = &temp.r;
}

%typemap(in) (const double *scores, size_t n)
    (fbb_py_scores temp = {0}, const double *data = NULL, size_t count = 0) {
    if (fbb_py_to_scores($input, &temp, &data, &count) != 0)
        SWIG_fail;
    $1 = (double *)data;
    $2 = count;
}
%typemap(freearg) (const double *scores, size_t n) {
    fbb_py_scores_release(&temp$argnum);
}


/* The strings of result structs. */
%typemap(out) fb_str {
    $result = fbb_py_str($1);
}
