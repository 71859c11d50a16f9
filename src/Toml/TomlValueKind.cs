namespace LlmRouter.Toml;

/// <summary>The TOML type of a <see cref="TomlValue"/>.</summary>
public enum TomlValueKind
{
    String,
    Integer,
    Float,
    Boolean,
    OffsetDateTime,
    LocalDateTime,
    LocalDate,
    LocalTime,
    Array,
    Table,
}
