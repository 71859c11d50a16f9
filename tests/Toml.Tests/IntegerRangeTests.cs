using Xunit;

namespace LlmRouter.Toml.Tests;

/// <summary>64-bit limits, which the toml-test 1.0 selection does not exercise beyond the extremes.</summary>
public sealed class IntegerRangeTests
{
    [Theory]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    [InlineData("+9_223_372_036_854_775_807", long.MaxValue)]
    [InlineData("0x7FFFFFFFFFFFFFFF", long.MaxValue)]
    [InlineData("0x7fff_ffff_ffff_ffff", long.MaxValue)]
    [InlineData("0o777777777777777777777", long.MaxValue)]
    [InlineData("0b0111111111111111111111111111111111111111111111111111111111111111", long.MaxValue)]
    [InlineData("-0", 0L)]
    public void Integers_at_the_limits_parse(string literal, long expected)
    {
        var document = TomlParser.Parse($"n = {literal}");

        Assert.Equal(expected, Assert.IsType<TomlInteger>(document["n"]).Value);
    }

    [Theory]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775809")]
    [InlineData("+9_223_372_036_854_775_808")]
    [InlineData("99999999999999999999999999")]
    [InlineData("0x8000000000000000")]
    [InlineData("0xFFFFFFFFFFFFFFFF")]
    [InlineData("0o1000000000000000000000")]
    [InlineData("0b1000000000000000000000000000000000000000000000000000000000000000")]
    public void Integers_beyond_64_bits_are_rejected(string literal)
    {
        var error = Assert.Throws<TomlException>(() => TomlParser.Parse($"n = {literal}"));

        Assert.Equal($"integer {literal} is out of the 64-bit range", error.Reason);
        Assert.Equal((1, 5), (error.Line, error.Column));
    }

    [Fact]
    public void Float_beyond_the_double_range_is_rejected()
    {
        var error = Assert.Throws<TomlException>(() => TomlParser.Parse("f = 1e309"));

        Assert.Equal("float 1e309 is out of the 64-bit floating-point range", error.Reason);
    }

    [Fact]
    public void Float_below_the_smallest_subnormal_rounds_to_zero()
    {
        var document = TomlParser.Parse("f = 1e-400");

        Assert.Equal(0.0, Assert.IsType<TomlFloat>(document["f"]).Value);
    }
}
