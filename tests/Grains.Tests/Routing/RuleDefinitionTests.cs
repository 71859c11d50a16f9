using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Configuration;
using LlmRouter.Grains.Catalog;
using LlmRouter.Grains.Routing.Rules;

namespace LlmRouter.Grains.Tests.Routing;

/// <summary>REST rule definitions: router.toml's key names, checked field by field.</summary>
public sealed class RuleDefinitionTests
{
    [Fact]
    public void A_rule_round_trips_through_its_json()
    {
        var json = JsonNode.Parse("""
            {"name": "code", "priority": 7, "is_active": false,
             "conditions": {"regex": "(?i)python", "min_complexity": 10, "max_complexity": 80, "models": ["auto"]},
             "action": {"use_group": "coders"}}
            """)!.AsObject();

        var rule = RuleDefinitions.Parse(json);

        Assert.Equal("code", rule.Name);
        Assert.Equal(7, rule.Priority);
        Assert.False(rule.IsActive);
        Assert.Equal("(?i)python", rule.Conditions.Regex);
        Assert.Equal((10, 80), (rule.Conditions.MinComplexity, rule.Conditions.MaxComplexity));
        Assert.Equal(["auto"], rule.Conditions.Models!);
        Assert.Equal(new RoutingRuleAction(RoutingRuleActions.UseGroup, "coders"), rule.Action);
        Assert.True(JsonNode.DeepEquals(json, RuleDefinitions.ToJson(rule)));
    }

    [Theory]
    [InlineData("""{"name": "r"}""", "action")]
    [InlineData("""{"name": "r", "action": {}}""", "action")]
    [InlineData("""{"name": "r", "action": {"use_model": "a/b", "use_group": "g"}}""", "action")]
    [InlineData("""{"name": "r", "action": {"use_model": ""}}""", "action")]
    [InlineData("""{"name": "r", "action": {"use_model": "a/b", "extra": 1}}""", "action.extra")]
    [InlineData("""{"name": "r", "action": {"use_model": "a/b"}, "colour": "red"}""", "colour")]
    [InlineData("""{"name": "r", "action": {"use_model": "a/b"}, "conditions": {"regex": "("}}""", "conditions.regex")]
    [InlineData("""{"name": "r", "action": {"use_model": "a/b"}, "conditions": {"min_complexity": 101}}""", "conditions.min_complexity")]
    [InlineData("""{"name": "r", "action": {"use_model": "a/b"}, "conditions": {"min_complexity": 50, "max_complexity": 10}}""", "conditions.min_complexity")]
    [InlineData("""{"name": "", "action": {"use_model": "a/b"}}""", "name")]
    [InlineData("""{"name": "r", "priority": "high", "action": {"use_model": "a/b"}}""", "priority")]
    public void A_bad_definition_names_the_field_at_fault(string json, string param)
    {
        var error = Assert.Throws<DefinitionException>(() => RuleDefinitions.Parse(JsonNode.Parse(json)!.AsObject()));

        Assert.Equal(param, error.Param);
    }
}
