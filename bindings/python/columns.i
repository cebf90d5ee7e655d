/*
 * Python: the rest of a reader as columns, for feedback.to_pandas. Numbers
 * come as bytes of their C arrays (numpy.frombuffer reads them without a
 * copy); strings coded through a dictionary as (codes, values) for a
 * categorical; texts, tags (tuples) and attributes (dicts) as lists built
 * here in C, so that no Python code runs per record.
 */
%{
static PyObject *fbb_py_bytes(const void *p, size_t n)
{
    return PyBytes_FromStringAndSize(p, (Py_ssize_t)n);
}

static PyObject *fbb_py_dict_values(const fbb_columns *c, fbb_column col)
{
    size_t i, n = fbb_columns_dict_size(c, col);
    PyObject *list = PyList_New((Py_ssize_t)n);

    for (i = 0; list && i < n; i++) {
        PyObject *s = fbb_py_str(fbb_columns_dict_at(c, col, i));
        if (!s) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, s);
    }
    return list;
}

/* TEXT: a list of str, one per row. */
static PyObject *fbb_py_texts(const fbb_columns *c, fbb_column col)
{
    size_t rows = fbb_columns_rows(c), i, bytes;
    const int64_t *off = fbb_columns_data(c, col, &bytes);
    const char *text = fbb_columns_items(c, col, &bytes);
    PyObject *list = PyList_New((Py_ssize_t)rows);

    for (i = 0; list && i < rows; i++) {
        PyObject *s = PyUnicode_DecodeUTF8(text + off[i], (Py_ssize_t)(off[i + 1] - off[i]),
                                           "surrogateescape");
        if (!s) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, s);
    }
    return list;
}

/* LIST: a tuple per row of the dictionary's str; PAIRS: a dict per row. */
static PyObject *fbb_py_lists(const fbb_columns *c, fbb_column col, bool pairs)
{
    size_t rows = fbb_columns_rows(c), i, bytes;
    const int64_t *off = fbb_columns_data(c, col, &bytes);
    const int32_t *items = fbb_columns_items(c, col, &bytes);
    PyObject *values = fbb_py_dict_values(c, col), *list = NULL;
    int64_t k;

    if (values)
        list = PyList_New((Py_ssize_t)rows);
    for (i = 0; list && i < rows; i++) {
        PyObject *row;
        if (pairs) {
            row = PyDict_New();
            for (k = off[i]; row && k < off[i + 1]; k += 2)
                if (PyDict_SetItem(row, PyList_GET_ITEM(values, items[k]),
                                   PyList_GET_ITEM(values, items[k + 1])) != 0)
                    Py_CLEAR(row);
        } else {
            row = PyTuple_New((Py_ssize_t)(off[i + 1] - off[i]));
            for (k = off[i]; row && k < off[i + 1]; k++) {
                PyObject *tag = PyList_GET_ITEM(values, items[k]);
                Py_INCREF(tag);
                PyTuple_SET_ITEM(row, (Py_ssize_t)(k - off[i]), tag);
            }
        }
        if (!row) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, row);
    }
    Py_XDECREF(values);
    return list;
}

static PyObject *fbb_py_column(const fbb_columns *c, fbb_column col)
{
    size_t bytes;
    const void *data = fbb_columns_data(c, col, &bytes);

    switch (fbb_column_type_of(col)) {
    case FBB_TYPE_U64: return Py_BuildValue("(sN)", "u64", fbb_py_bytes(data, bytes));
    case FBB_TYPE_I64: return Py_BuildValue("(sN)", "i64", fbb_py_bytes(data, bytes));
    case FBB_TYPE_F64: return Py_BuildValue("(sN)", "f64", fbb_py_bytes(data, bytes));
    case FBB_TYPE_U8: return Py_BuildValue("(sN)", "u8", fbb_py_bytes(data, bytes));
    case FBB_TYPE_DICT:
        return Py_BuildValue("(sNN)", "dict", fbb_py_bytes(data, bytes),
                             fbb_py_dict_values(c, col));
    case FBB_TYPE_TEXT: return Py_BuildValue("(sN)", "objects", fbb_py_texts(c, col));
    case FBB_TYPE_LIST: return Py_BuildValue("(sN)", "objects", fbb_py_lists(c, col, false));
    default: return Py_BuildValue("(sN)", "objects", fbb_py_lists(c, col, true));
    }
}
%}

%inline %{
/*
 * Reads the rest of reader into {column name: (kind, data...)}; wanted: bits
 * 1 << column index (fbb_column) of the columns to read.
 */
static PyObject *fbb_py_read_columns(fbb_reader *reader, unsigned long long wanted)
{
    fb_error err;
    fbb_columns *c;
    PyObject *out;
    int col;

    fb_error_clear(&err);
    c = fbb_columns_read(reader, (uint64_t)wanted, &err);
    if (!c) {
        fbb_py_raise(&err);
        return NULL;
    }
    out = PyDict_New();
    for (col = 0; out && col < FBB_COL_COUNT; col++) {
        PyObject *v;
        if (!fbb_columns_has(c, (fbb_column)col))
            continue;
        v = fbb_py_column(c, (fbb_column)col);
        if (!v || PyDict_SetItemString(out, fbb_column_name((fbb_column)col), v) != 0)
            Py_CLEAR(out);
        Py_XDECREF(v);
    }
    if (out) {
        PyObject *rows = PyLong_FromSize_t(fbb_columns_rows(c));
        if (!rows || PyDict_SetItemString(out, "__rows__", rows) != 0)
            Py_CLEAR(out);
        Py_XDECREF(rows);
    }
    fbb_columns_free(c);
    return out;
}

/* The names of the columns, by index (fbb_column). */
static const char *fbb_py_column_name(int col) { return fbb_column_name((fbb_column)col); }
static int fbb_py_column_count(void) { return FBB_COL_COUNT; }
%}
