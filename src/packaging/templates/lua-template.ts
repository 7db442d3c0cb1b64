import type { ScaffoldSpec } from './scaffold-spec.js';

/** plugin.yaml of a Lua scaffold: the hooks it taps are read from the Lua file's functions. */
export function luaManifestTemplate(spec: ScaffoldSpec): string {
  return [
    `# yaml-language-server: $schema=${spec.schemaRef}`,
    `id: ${spec.id}`,
    `name: ${spec.id}`,
    'description: A plugin made from the Jovian scaffold; describe what it does here.',
    `type: ${spec.type}`,
    'version: 0.1.0',
    'license: MIT',
    'engines:',
    `  jovian: "${spec.engines}"`,
    `main: ${spec.id}.lua`,
    'runtime: lua',
    'changelog: changelog.md',
    '',
  ].join('\n');
}

/** `<id>.lua`: the plugin's code, run in the Lua sandbox (docs/lua.md). */
export function luaTemplate(spec: ScaffoldSpec): string {
  return `function on_startup()
  jovian.log("${spec.id} started")
end

function on_chat(message)
  if message.role == "user" then
    local count = (jovian.state.get("messages") or 0) + 1
    jovian.state.set("messages", count)
    jovian.log("message " .. count .. ": " .. message.content)
  end
end
`;
}

/** test/plugin.test.js of a Lua scaffold: a chat message reaches on_chat, which logs and counts it. */
export function luaTestTemplate(spec: ScaffoldSpec): string {
  return `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ChatPipeline, createChatHooks } from 'jovian';
import { createTestHost } from 'jovian/testing';

const folder = fileURLToPath(new URL('..', import.meta.url));

test('on_chat counts and logs user messages', async () => {
  const { host, dispose } = await createTestHost({ plugins: [folder], hooks: createChatHooks() });
  try {
    const chat = new ChatPipeline(host);
    await chat.send('hello');
    await chat.send('again');
    const lines = host.logs.tail('${spec.id}', 20).map((line) => line.message);
    assert.ok(lines.some((m) => m.includes('message 2: again')), lines.join('\\n'));
  } finally {
    await dispose();
  }
});
`;
}
