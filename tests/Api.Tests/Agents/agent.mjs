// A one-tool agent of the OpenAI Agents SDK, run through the router by AgentsSdkTests. The SDK's OpenAI client
// reads OPENAI_BASE_URL and OPENAI_API_KEY; AGENT_MODEL names the router's model. Prints one JSON line: the tool's
// calls and the run's final output.
import { Agent, run, tool, setTracingDisabled } from '@openai/agents';
import { z } from 'zod';

// Tracing would export spans to OpenAI's own servers.
setTracingDisabled(true);

const calls = [];
const getWeather = tool({
  name: 'get_weather',
  description: 'The weather in a city',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => {
    calls.push({ city });
    return `22C and sunny in ${city}`;
  },
});

const agent = new Agent({
  name: 'Weather agent',
  instructions: 'Answer weather questions with the get_weather tool.',
  model: process.env.AGENT_MODEL,
  tools: [getWeather],
});

const result = await run(agent, 'What is the weather in Paris?');
console.log(JSON.stringify({ calls, finalOutput: result.finalOutput }));
