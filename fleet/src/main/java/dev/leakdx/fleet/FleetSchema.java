package dev.leakdx.fleet;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;

/**
 * The fleet tables' columns (knowledge-base-docs/fleet.md lists them with their meaning). The job
 * diagnoses each capture once into a {@link #RESULT} row; {@code captures} is that row without its
 * verdicts, {@code verdicts} one row per verdict with the capture's identity beside it.
 */
final class FleetSchema {
    private FleetSchema() {}

    static final StructType VERDICT = struct(
            field("rank", DataTypes.IntegerType, false),          // 1 = the report's first verdict
            field("code", DataTypes.StringType, false),
            field("severity", DataTypes.StringType, false),
            field("bytes", DataTypes.LongType, false),
            field("pages", DataTypes.LongType, true),
            field("confidence", DataTypes.DoubleType, false),
            field("rule", DataTypes.StringType, true),
            field("title", DataTypes.StringType, true),
            field("subject", DataTypes.StringType, true),
            field("evidence_cite", DataTypes.StringType, true),   // the report's first cited line, file:line
            field("evidence_fact", DataTypes.StringType, true));

    static final StructType SLAB = struct(
            field("cache", DataTypes.StringType, false),
            field("bytes", DataTypes.LongType, false),
            field("active_objs", DataTypes.LongType, true),
            field("num_objs", DataTypes.LongType, true),
            field("obj_size", DataTypes.LongType, true),
            field("source", DataTypes.StringType, true));

    static final StructType VMALLOC = struct(
            field("caller", DataTypes.StringType, false),
            field("bytes", DataTypes.LongType, false),
            field("areas", DataTypes.IntegerType, false));

    static final StructType POPULATION = struct(
            field("population", DataTypes.StringType, false),
            field("pages", DataTypes.LongType, false),
            field("total_pages", DataTypes.LongType, false),
            field("bytes", DataTypes.LongType, true),             // null: page-types rows of a capture whose page size is unknown
            field("file", DataTypes.StringType, true));

    /** The capture's identity, repeated on every verdict row. */
    static final StructField[] IDENTITY = {
            field("capture", DataTypes.StringType, false),
            field("capture_uri", DataTypes.StringType, false),
            field("host", DataTypes.StringType, true),
            field("captured_at", DataTypes.TimestampType, true),
            field("kernel_release", DataTypes.StringType, true),
            field("arch", DataTypes.StringType, true),
            field("ram_bytes", DataTypes.LongType, true),
            field("page_size", DataTypes.LongType, true)};

    static final StructType RESULT = struct(concat(IDENTITY,
            field("exit_code", DataTypes.IntegerType, false),
            field("error", DataTypes.StringType, true),
            field("verdict_count", DataTypes.IntegerType, false),
            field("top_code", DataTypes.StringType, true),
            field("top_severity", DataTypes.StringType, true),
            field("lines_skipped", DataTypes.LongType, false),
            field("diagnose_ms", DataTypes.LongType, false),      // wall time of this capture's diagnosis on its executor thread
            field("meminfo", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType, false), false),
            field("kmem_i", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType, false), false),
            field("slab_caches", array(SLAB), false),
            field("vmalloc_callers", array(VMALLOC), false),
            field("page_populations", array(POPULATION), false),
            field("modules", DataTypes.createArrayType(DataTypes.StringType, false), false),
            field("verdicts", array(VERDICT), false)));

    private static StructField field(String name, DataType type, boolean nullable) {
        return new StructField(name, type, nullable, Metadata.empty());
    }

    private static ArrayType array(StructType t) { return DataTypes.createArrayType(t, false); }

    private static StructType struct(StructField... fields) { return new StructType(fields); }

    private static StructField[] concat(StructField[] a, StructField... b) {
        StructField[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
