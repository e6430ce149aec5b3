// Every fixed text the diver reads, in one place.

export const TEXTS = {
  appName: "DovvyBuddy",
  tagline: "Your scuba diving buddy: courses, destinations and dive safety.",
  messageLabel: "Message",
  messagePlaceholder: "Ask about a course, a dive site or dive safety…",
  send: "Send",
  stop: "Stop",
  newChat: "New chat",
  deleteConversation: "Delete conversation",
  confirmNewChat: "Start a new chat? This conversation will be cleared.",
  confirmDelete: "Delete this conversation? It will be erased from our servers.",
  confirmYes: "Yes, clear it",
  confirmNo: "Keep chatting",
  jumpToLatest: "Jump to latest",
  suggestion: "Suggested question",
  sources: "Sources",
  stopped: "Stopped. This answer was not saved.",
  interrupted: "The answer broke off here and was not saved.",
  emergencyHeading: "Emergency: act now",
  welcome:
    "Hi! I can help you pick your next certification, plan a dive trip, or understand dive " +
    "safety. What would you like to know?",
  restoring: "Restoring your conversation…",
  sessionExpired: "Your earlier conversation had expired, so a new one has started.",
  conversationDeleted: "The conversation was deleted.",
  backendDown:
    "We can't reach DovvyBuddy right now. We'll reconnect automatically; nothing you type is lost.",
  backendBack: "Reconnected.",
  rateLimited: (seconds: number) =>
    `You're sending messages faster than we can answer. You can send again in ${seconds} s.`,
  rateLimitedOver: "You can send again now.",
  unavailable: "DovvyBuddy is having trouble answering right now.",
  retry: "Retry",
  thinking: "DovvyBuddy is thinking…",
  leadIntro: {
    training: "Want a partner dive shop to contact you about training?",
    trip: "Want a partner dive shop to help plan this trip?",
  },
  leadSubmit: "Send my details",
  leadDismiss: "Not now",
  leadSuccess: "Thanks! A partner dive shop will contact you soon.",
  leadDuplicate: "We already have your request. The dive shop will be in touch.",
  leadPrivacy: "We pass these details only to the partner dive shop.",
  leadFailed: "We couldn't send your details. Please try again.",
  you: "You",
  assistant: "DovvyBuddy",
} as const;
