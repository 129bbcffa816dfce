// The window's script: the UI's code is loaded (FullCalendar's comes later, see CalendarView); show the app.
import { mountApp } from "./app";
import { markStep } from "./startup";

markStep("script");
// Before the first layout: the font the styles choose for Linux (see styles.css).
if (navigator.userAgent.includes("Linux")) document.documentElement.classList.add("linux");
mountApp(document.getElementById("app")!);
