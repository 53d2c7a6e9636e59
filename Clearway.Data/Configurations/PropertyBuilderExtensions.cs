using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Clearway.Data.Configurations;

/// <summary>The few column shapes SCHEMA.md repeats, named once.</summary>
internal static class PropertyBuilderExtensions
{
    /// <summary>TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP.</summary>
    public static PropertyBuilder<DateTime> HasNowDefault(this PropertyBuilder<DateTime> property) =>
        property.HasDefaultValueSql("CURRENT_TIMESTAMP");

    /// <summary>A JSONB column held as its JSON text, so generators and COPY write it without a round trip.</summary>
    public static PropertyBuilder<T> IsJsonb<T>(this PropertyBuilder<T> property) =>
        property.HasColumnType("jsonb");

    /// <summary>
    /// BOOLEAN NOT NULL DEFAULT true. The sentinel is true as well, so EF omits the column only when the
    /// value equals the database default and an explicit false is always written.
    /// </summary>
    public static PropertyBuilder<bool> HasTrueDefault(this PropertyBuilder<bool> property) =>
        property.HasDefaultValue(true).HasSentinel(true);
}
