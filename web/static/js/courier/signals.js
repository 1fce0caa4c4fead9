// What the courier hears and feels per scan: a short high beep for a new item, a low double beep for a
// duplicate or an error; a vibration where the phone has one.
let audio = null;

function tone(frequency, startAt, length) {
  audio = audio || new (window.AudioContext || window.webkitAudioContext)();
  const oscillator = audio.createOscillator();
  const gain = audio.createGain();
  oscillator.frequency.value = frequency;
  gain.gain.value = 0.2;
  oscillator.connect(gain).connect(audio.destination);
  oscillator.start(audio.currentTime + startAt);
  oscillator.stop(audio.currentTime + startAt + length);
}

export function ok() {
  try { tone(1400, 0, 0.09); } catch (e) { /* no audio: the list still shows it */ }
  if (navigator.vibrate) navigator.vibrate(60);
}

export function problem() {
  try { tone(300, 0, 0.12); tone(300, 0.18, 0.12); } catch (e) { /* no audio */ }
  if (navigator.vibrate) navigator.vibrate([80, 60, 80]);
}
