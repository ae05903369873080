// The victim's page (/protect-my-photo): the photo she picks is read and hashed here, in her
// browser, and only the two hashes (PDQ and MD5, with PDQ's quality) are sent, once she agrees.
// The picker is in no form and has no name: nothing of the photo can be posted.
import { md5Hex } from "/static/md5.js";
import { pdqOfImage } from "/static/pdq.js";

const API = "/api/v1/media/victim-hashes";
const LOW_QUALITY = 50; // below this, PDQ's own documentation says a match is not to be trusted

const section = document.getElementById("protect");
const picker = document.getElementById("photo");
const progress = document.getElementById("progress");
const hashes = document.getElementById("hashes");
const form = document.getElementById("consent-form");
const receipt = document.getElementById("receipt");
const say = (name) => section.dataset[name];
let computed = null;

function show(fields) {
  for (const [id, value] of Object.entries(fields)) {
    document.getElementById(id).textContent = String(value);
  }
}

async function hashPicked() {
  computed = null;
  hashes.hidden = true;
  receipt.hidden = true;
  const file = picker.files[0];
  if (!file) return;
  progress.textContent = say("working");
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const { pdq, quality } = await pdqOfImage(bytes);
    computed = { pdq, md5: md5Hex(bytes), quality };
  } catch (error) {
    progress.textContent = say("unreadable");
    return;
  }
  show(computed);
  const warning = document.getElementById("quality-warning");
  warning.hidden = computed.quality >= LOW_QUALITY;
  warning.textContent = say("lowQuality");
  progress.textContent = "";
  hashes.hidden = false;
  document.getElementById("send").disabled = false;
}

async function send(event) {
  event.preventDefault();
  const agreed = ["consent-adult", "consent-share"].every((id) => document.getElementById(id).checked);
  document.getElementById("consent-error").hidden = agreed;
  if (!agreed || !computed) return;
  const button = document.getElementById("send");
  button.disabled = true;
  const answer = await fetch(API, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Accept-Language": document.documentElement.lang },
    body: JSON.stringify(computed),
    credentials: "omit",
  }).catch(() => null);
  if (!answer || !answer.ok) {
    progress.textContent = say(answer && answer.status === 429 ? "tooMany" : "failed");
    button.disabled = false;
    return;
  }
  const code = (await answer.json()).receipt;
  show({ "receipt-code": code });
  offerReceiptFile(code);
  hashes.hidden = true;
  receipt.hidden = false;
  receipt.focus();
}

// The receipt as a small text file she can keep, made here (nothing is fetched for it).
function offerReceiptFile(code) {
  const link = document.getElementById("save-receipt");
  const withdraw = new URL("/protect-my-photo/withdraw", window.location.href).href;
  const text = link.dataset.text.replace("{code}", code).replace("{url}", withdraw);
  link.href = URL.createObjectURL(new Blob([text + "\n"], { type: "text/plain" }));
}

function copyReceipt() {
  const code = document.getElementById("receipt-code").textContent;
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(code).then(() => {
      document.getElementById("copy-receipt").textContent = say("copied");
    });
  } else {
    window.getSelection().selectAllChildren(document.getElementById("receipt-code"));
  }
}

section.hidden = false;
picker.addEventListener("change", hashPicked);
form.addEventListener("submit", send);
document.getElementById("copy-receipt").addEventListener("click", copyReceipt);
