import type { ScaffoldSpec } from './scaffold-spec.js';

/** `<id>.lua`: a single-file Lua plugin; its comment header is its manifest. */
export function luaTemplate(spec: ScaffoldSpec): string {
  return `-- @id ${spec.id}
-- @name ${spec.id}
-- @version 0.1.0
-- @type ${spec.type}
-- @engines ${spec.engines}
-- @description A plugin made from the Jovian scaffold; describe what it does here.

function on_startup()
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
