// Words of the boards in the championship's languages. English, Kazakh and Russian are
// complete; the others fall back to English for any word not yet given.
"use strict";
const WORDS = {
  en: {rank: "Rank", competitor: "Competitor", member: "Member", total: "Total", medal: "Medal",
       provisional: "Provisional results", final: "Final results", progress: "Marking progress",
       frozen: "Results frozen", reveal: "Results ceremony", medals: "Medal table",
       gold: "Gold", silver: "Silver", bronze: "Bronze", excellence: "Excellence", points: "Points",
       connecting: "Connecting…", live: "Live", ticker: "Latest marks", skill: "Skill",
       withdrawn: "withdrawn", nothing: "No results yet", bestOfNation: "Best of Nation"},
  kk: {rank: "Орын", competitor: "Қатысушы", member: "Ел", total: "Барлығы", medal: "Медаль",
       provisional: "Алдын ала нәтижелер", final: "Қорытынды нәтижелер", progress: "Бағалау барысы",
       frozen: "Нәтижелер тоқтатылды", reveal: "Марапаттау рәсімі", medals: "Медальдар кестесі",
       gold: "Алтын", silver: "Күміс", bronze: "Қола", excellence: "Үздік шеберлік", points: "Ұпай",
       connecting: "Қосылуда…", live: "Тікелей", ticker: "Соңғы бағалар", skill: "Құзырет",
       withdrawn: "алынып тасталды", nothing: "Әзірге нәтиже жоқ", bestOfNation: "Ел үздігі"},
  ru: {rank: "Место", competitor: "Участник", member: "Страна", total: "Итого", medal: "Медаль",
       provisional: "Предварительные результаты", final: "Итоговые результаты",
       progress: "Ход оценивания", frozen: "Результаты заморожены", reveal: "Церемония награждения",
       medals: "Медальный зачёт", gold: "Золото", silver: "Серебро", bronze: "Бронза",
       excellence: "Медальон за профессионализм", points: "Очки", connecting: "Подключение…",
       live: "В эфире", ticker: "Последние оценки", skill: "Компетенция", withdrawn: "отозвана",
       nothing: "Результатов пока нет", bestOfNation: "Лучший в стране"},
  tr: {rank: "Sıra", competitor: "Yarışmacı", member: "Ülke", total: "Toplam", medal: "Madalya",
       provisional: "Geçici sonuçlar", final: "Kesin sonuçlar", medals: "Madalya tablosu",
       gold: "Altın", silver: "Gümüş", bronze: "Bronz", points: "Puan", connecting: "Bağlanıyor…",
       live: "Canlı", ticker: "Son puanlar", skill: "Beceri"},
  az: {rank: "Yer", competitor: "İştirakçı", member: "Ölkə", total: "Cəmi", medal: "Medal",
       provisional: "İlkin nəticələr", final: "Yekun nəticələr", medals: "Medal cədvəli",
       gold: "Qızıl", silver: "Gümüş", bronze: "Bürünc", points: "Xal", live: "Canlı"},
  hu: {rank: "Helyezés", competitor: "Versenyző", member: "Ország", total: "Összesen",
       medal: "Érem", provisional: "Ideiglenes eredmények", final: "Végeredmény",
       medals: "Éremtáblázat", gold: "Arany", silver: "Ezüst", bronze: "Bronz", points: "Pont",
       live: "Élő"},
  uz: {rank: "Oʻrin", competitor: "Ishtirokchi", member: "Davlat", total: "Jami", medal: "Medal",
       provisional: "Dastlabki natijalar", final: "Yakuniy natijalar", medals: "Medallar jadvali",
       gold: "Oltin", silver: "Kumush", bronze: "Bronza", points: "Ball", live: "Jonli"},
  ky: {rank: "Орун", competitor: "Катышуучу", member: "Өлкө", total: "Жалпы", medal: "Медаль",
       provisional: "Алдын ала жыйынтыктар", final: "Акыркы жыйынтыктар", medals: "Медалдар таблицасы",
       gold: "Алтын", silver: "Күмүш", bronze: "Коло", points: "Упай", live: "Түз эфир"},
};

function wordsFor(lang) {
  return Object.assign({}, WORDS.en, WORDS[lang] || {});
}
