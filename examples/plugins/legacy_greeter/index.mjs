// An older-style plugin: a class whose on_<hook> methods tap the hooks of the same name.
export default class Greeter {
  on_chat(message) {
    return message.content.includes('hello') ? { waved: true } : undefined;
  }
}
